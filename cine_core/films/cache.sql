-- Named queries for cine_core.films.cache (cached list endpoints in `source_cache`, shared by all users).

-- name: cached_list
select movie_ids, fetched_at from public.source_cache where cache_key = %s;

-- name: store_list
insert into public.source_cache (cache_key, movie_ids, fetched_at) values (%s, %s, now())
on conflict (cache_key) do update set movie_ids = excluded.movie_ids, fetched_at = now();

-- name: latest_list
-- The newest list under a key prefix (e.g. yesterday's trending) when the source fails and today's is missing.
select movie_ids from public.source_cache where starts_with(cache_key, %s)
 order by fetched_at desc limit 1;
