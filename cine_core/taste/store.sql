-- Named queries for cine_core.taste.store (ratings and chat insights in, the stored taste profile out).

-- name: rated
select m.*, r.rating as user_rating, r.rated_at as user_rated_at, r.source as rating_source
  from public.ratings r join public.movies m on m.id = r.movie_id
 where r.user_id = %s order by r.rated_at, r.movie_id;

-- name: thumbs
-- 👍 / 👎 (film_feedback 'up' / 'down') with their films, oldest first; never ratings.
select m.*, f.kind as feedback_kind, f.created_at as feedback_at from public.film_feedback f join public.movies m on m.id = f.movie_id
 where f.user_id = %s and f.kind in ('up', 'down') order by f.created_at, f.movie_id;

-- name: insights
-- Chat messages only carry insights; a row nobody answered ('{}') has nothing to teach and is skipped quietly.
select id, ai_learned from public.movie_conversations
 where user_id = %s and ai_learned <> '{}'::jsonb order by created_at, id;

-- name: profile
select preferences, version, updated_at from public.taste_profile where user_id = %s;

-- name: store_profile
-- Through the security-definer function (migration 20261209200000): the worker's service login and the app's own
-- (cine_app) write the profile the same way; the version is the stored one + 1.
select profile_version as version, profile_updated_at as updated_at
  from public.store_taste_profile(%s, %s::jsonb);
