-- Named queries for cine_core.app.history (the user's ratings, CineAI's hits and misses, chat), each by user_id.

-- name: rated
select m.*, r.rating, r.rated_at, r.source as rating_source
from public.ratings r join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s
order by r.rated_at desc, r.movie_id
limit %(limit)s;

-- name: calibration
select m.title, rec.confidence, r.rating
from public.recommendations rec
join public.ratings r on r.user_id = rec.user_id and r.movie_id = rec.movie_id
join public.movies m on m.id = rec.movie_id
where rec.user_id = %(user_id)s
order by rec.confidence;

-- name: feedback
-- 👍 / 👎 / not interested / seen it, newest first: what the person said about films, not ratings.
select m.*, f.kind, f.created_at
from public.film_feedback f join public.movies m on m.id = f.movie_id
where f.user_id = %(user_id)s
order by f.created_at desc, f.movie_id
limit %(limit)s;
