-- Named queries for cine_core.account.export; each runs in the person's own transaction (RLS applies) and
-- filters by user_id. Columns follow Letterboxd's export files, plus tmdbID (Letterboxd's importer reads it).

-- name: ratings
select r.rated_at as logged_at, m.title, m.year, r.rating, m.id as tmdb_id
from public.ratings r join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s
order by r.rated_at, m.id;

-- name: watchlist
select w.added_at as logged_at, m.title, m.year, m.id as tmdb_id
from public.watchlist w join public.movies m on m.id = w.movie_id
where w.user_id = %(user_id)s and w.watched_at is null
order by w.added_at, m.id;

-- name: watched
-- Films marked seen without a rating (imported watched rows, "Seen it", a watched watchlist film), first day
-- each; a rated film is in ratings.csv, which marks it seen on import too.
select seen.watched_at as logged_at, seen.watched_at, m.title, m.year, m.id as tmdb_id
from (
  select movie_id, min(watched_at) as watched_at from (
    select movie_id, watched_at from public.watchlist where user_id = %(user_id)s and watched_at is not null
    union all
    select movie_id, created_at from public.film_feedback where user_id = %(user_id)s and kind = 'seen'
  ) marks group by movie_id
) seen
join public.movies m on m.id = seen.movie_id
where not exists (select 1 from public.ratings r where r.user_id = %(user_id)s and r.movie_id = seen.movie_id)
order by seen.watched_at, m.id;

-- name: diary_entries
-- The diary (issue 25.1): one row per watch, rewatches marked as Letterboxd marks them.
select d.created_at as logged_at, d.watched_on as watched_at, m.title, m.year, d.rating,
       case when d.rewatch then 'Yes' else '' end as rewatch, m.id as tmdb_id
from public.diary_entries d join public.movies m on m.id = d.movie_id
where d.user_id = %(user_id)s
order by d.watched_on, d.id;

-- name: film_reviews
select r.written_at as logged_at, r.watched_on as watched_at, m.title, m.year, r.rating, r.body as review,
       m.id as tmdb_id
from public.film_reviews r join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s
order by r.written_at, m.id;
