-- Named queries for cine_core.films.cache_functions: the film cache's security-definer functions
-- (migration 20261210200000_film_cache_functions), the same for the app's login and the worker's.

-- name: store_films
select public.cache_films(%s, %s) as sent;

-- name: store_list
select public.cache_film_list(%s, %s::bigint[]);

-- name: cached_list
select movie_ids, fetched_at from public.film_cache_list(%s);

-- name: latest_trending
select public.film_cache_latest(%s) as movie_ids;
