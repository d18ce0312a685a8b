-- Named queries for cine_core.app.diary (the diary, reviews, the year in review), each by the viewer's user_id.

-- name: months
select date_trunc('month', watched_on)::date as month, count(*) as watches
from public.diary_entries where user_id = %(user_id)s
group by 1 order by 1 desc;

-- name: entries
-- Watches in [start, end), newest first, each with its place among the film's watches (1 = first) and the
-- review written for that watch, if any. `rewatch` is what the source said or an earlier watch in the diary.
select d.id as entry_id, d.watched_on, d.rating as watch_rating, d.source as watch_source,
       d.rewatch or exists (select 1 from public.diary_entries e
                             where e.user_id = d.user_id and e.movie_id = d.movie_id
                               and e.watched_on < d.watched_on) as is_rewatch,
       (select count(*) from public.diary_entries e
         where e.user_id = d.user_id and e.movie_id = d.movie_id and e.watched_on <= d.watched_on) as watch_number,
       rv.body as review, ur.rating as current_rating, m.*
from public.diary_entries d
join public.movies m on m.id = d.movie_id
left join public.ratings ur on ur.user_id = d.user_id and ur.movie_id = d.movie_id
left join lateral (select r.body from public.film_reviews r
                    where r.user_id = d.user_id and r.movie_id = d.movie_id and r.watched_on = d.watched_on
                    order by r.written_at desc limit 1) rv on true
where d.user_id = %(user_id)s and d.watched_on >= %(start)s and d.watched_on < %(end)s
  and (%(movie_id)s::bigint is null or d.movie_id = %(movie_id)s)
order by d.watched_on desc, d.id desc;

-- name: film_reviews
select r.id::text as review_id, r.body, r.rating, r.watched_on, r.written_at, r.source as review_source
from public.film_reviews r
where r.user_id = %(user_id)s and r.movie_id = %(movie_id)s
order by coalesce(r.watched_on, r.written_at::date) desc, r.written_at desc;

-- name: reviews
select r.id::text as review_id, r.body, r.rating as review_rating, r.watched_on, r.written_at,
       r.source as review_source, m.*
from public.film_reviews r join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s
order by r.written_at desc
limit %(limit)s;

-- name: add_watch
insert into public.diary_entries (user_id, movie_id, watched_on, rating, source)
values (%(user_id)s, %(movie_id)s, %(watched_on)s, %(rating)s, 'app')
on conflict (user_id, movie_id, watched_on) do nothing
returning id;

-- name: mark_watched
-- Seen: out of the picks and off the to-watch list; the latest watch date is kept.
insert into public.watchlist (user_id, movie_id, added_at, watched_at)
values (%(user_id)s, %(movie_id)s, %(watched_at)s, %(watched_at)s)
on conflict (user_id, movie_id) do update
  set watched_at = greatest(public.watchlist.watched_at, excluded.watched_at);

-- name: rating
select rating from public.ratings where user_id = %(user_id)s and movie_id = %(movie_id)s;

-- name: rate
insert into public.ratings (user_id, movie_id, rating, source) values (%(user_id)s, %(movie_id)s, %(rating)s, 'app')
on conflict (user_id, movie_id) do update set rating = excluded.rating, source = 'app', rated_at = now();

-- name: add_review
insert into public.film_reviews (user_id, movie_id, body, rating, watched_on, source)
values (%(user_id)s, %(movie_id)s, %(body)s, %(rating)s, %(watched_on)s, 'app')
on conflict (user_id, movie_id, md5(body)) do nothing;

-- name: delete_watch
delete from public.diary_entries where user_id = %(user_id)s and id = %(id)s;

-- name: delete_review
delete from public.film_reviews where user_id = %(user_id)s and id = %(id)s::uuid;
