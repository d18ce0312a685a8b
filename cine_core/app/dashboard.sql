-- Named queries for cine_core.app.dashboard (the pages' film lists, each filtered by user_id).
-- Every film list left-joins the user's own marks: `ur` (their rating) and `w` (watchlist). 👍/👎, not interested
-- and seen-it live in `film_feedback`: a film with 'down', 'not_interested' or 'seen' is never offered again.

-- name: picks
select m.*, r.confidence, r.reason, r.discovery_source, r.generated_at, r.score, r.feedback,
       r.below_threshold, r.matcher,
       ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.recommendations r
join public.movies m on m.id = r.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where r.user_id = %(user_id)s
  and (r.feedback is null or r.feedback not in ('down', 'not_interested'))
  and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = r.movie_id
                    and f.kind in ('down', 'not_interested', 'seen'))
order by r.position nulls last, r.confidence desc, r.movie_id
limit %(limit)s;

-- name: picks_for_mood
-- The picks query plus the mood filter (cine_core.domain.vocabulary.MOODS: genres or keywords that carry the mood,
-- genres that rule it out, a keyword required for moods like mind-bending); a separate statement so the
-- unfiltered one stays as simple.
select m.*, r.confidence, r.reason, r.discovery_source, r.generated_at, r.score, r.feedback,
       r.below_threshold, r.matcher,
       ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.recommendations r
join public.movies m on m.id = r.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where r.user_id = %(user_id)s
  and (r.feedback is null or r.feedback not in ('down', 'not_interested'))
  and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = r.movie_id
                    and f.kind in ('down', 'not_interested', 'seen'))
  and not m.genres && %(excludes)s
  and (m.keywords && %(keywords)s or (not %(needs_keyword)s and m.genres && %(genres)s))
order by r.position nulls last, r.confidence desc, r.movie_id
limit %(limit)s;

-- name: user_state
-- The queue is read through my_refresh_state, which needs the user's claims (a user_transaction).
select
  (select count(*) from public.ratings where user_id = %(user_id)s) as rating_count,
  (select count(*) from public.recommendations r where r.user_id = %(user_id)s
     and (r.feedback is null or r.feedback not in ('down', 'not_interested'))
     and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = r.movie_id
                       and f.kind in ('down', 'not_interested', 'seen'))) as picks_available,
  (select max(generated_at) from public.recommendations where user_id = %(user_id)s) as picks_generated_at,
  r.waiting as refresh_waiting, r.last_failed_at as refresh_failed_at,
  -- The taste stamp (cine_core.app.read_cache): changes with every write to the user's ratings, feedback or
  -- learned profile, so reads derived from them (taste summary, shelves) are cached until it moves.
  concat_ws('/', current_database(),
    (select count(*) || ':' || coalesce(sum(hashtextextended(x.movie_id || ':' || x.rating || ':' || x.rated_at, 0)), 0)
       from public.ratings x where x.user_id = %(user_id)s),
    (select count(*) || ':' || coalesce(sum(hashtextextended(x.movie_id || ':' || x.kind || ':' || x.created_at, 0)), 0)
       from public.film_feedback x where x.user_id = %(user_id)s),
    (select p.version || ':' || p.updated_at from public.taste_profile p where p.user_id = %(user_id)s)
  ) as taste_stamp
from public.my_refresh_state(%(user_id)s) r;

-- name: fallback_films
-- The most popular films with enough votes the user has not rated or dismissed, best-rated first.
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from (
  select c.* from public.movies c
  where c.vote_count >= %(min_votes)s
    and not exists (select 1 from public.ratings x where x.user_id = %(user_id)s and x.movie_id = c.id)
    and not exists (select 1 from public.film_feedback x where x.user_id = %(user_id)s
                      and x.movie_id = c.id and x.kind in ('down', 'not_interested', 'seen'))
  order by c.popularity desc
  limit %(pool_size)s
) m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
order by m.vote_average desc nulls last
limit %(limit)s;

-- name: onboarding_films
-- The films with the most votes the user has not rated or dismissed: likely seen, worth rating.
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from (
  select c.* from public.movies c
  where c.vote_count >= %(min_votes)s
    and not exists (select 1 from public.ratings x where x.user_id = %(user_id)s and x.movie_id = c.id)
    and not exists (select 1 from public.film_feedback x where x.user_id = %(user_id)s
                      and x.movie_id = c.id and x.kind in ('down', 'not_interested', 'seen'))
  order by c.vote_count desc
  limit %(pool_size)s
) m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
order by m.vote_count desc
limit %(limit)s;

-- name: search_films
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.movies m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where m.title_search like %(contains)s
order by (m.title_search like %(prefix)s) desc, m.popularity desc
limit %(limit)s;

-- name: cards_for_movies
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.movies m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where m.id = any(%(ids)s);

-- name: watchlist
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.watchlist wl
join public.movies m on m.id = wl.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where wl.user_id = %(user_id)s
order by wl.watched_at is not null, wl.added_at desc;

-- name: people_names
-- The directors and top-billed actors of the films the user rated or gave a 👍, as the catalog spells them.
select distinct n as name
from (select movie_id from public.ratings where user_id = %(user_id)s
      union select movie_id from public.film_feedback where user_id = %(user_id)s and kind = 'up') f
join public.movies m on m.id = f.movie_id
cross join lateral unnest(m.directors || m.top_cast[1:3]) n;

-- name: refresh_poll
-- What the dashboard polls every few seconds while a refresh is on its way: the newest stored pick and the queue
-- state, nothing else (two index lookups; no picks, films or taste stamp).
select (select max(generated_at) from public.recommendations where user_id = %(user_id)s) as picks_generated_at,
       r.waiting as refresh_waiting, r.last_failed_at as refresh_failed_at
from public.my_refresh_state(%(user_id)s) r;

-- name: starter_pool
-- The best-known well-liked films the user has not rated or dismissed: the pool the starter set is spread from
-- (cine_core.app.starter), best known first.
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from (
  select c.* from public.movies c
  where c.vote_count >= %(min_votes)s and c.vote_average >= %(min_average)s
    and not exists (select 1 from public.ratings x where x.user_id = %(user_id)s and x.movie_id = c.id)
    and not exists (select 1 from public.film_feedback x where x.user_id = %(user_id)s
                      and x.movie_id = c.id and x.kind in ('down', 'not_interested', 'seen'))
  order by c.vote_count desc, c.id
  limit %(pool_size)s
) m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
order by m.vote_count desc, m.id;
