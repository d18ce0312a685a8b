-- Named queries for cine_core.digest.compose (service connection; every query filters by user_id).

-- name: candidates
-- Films trending since the last email, or fetched from TMDB since then and released recently (new to the
-- catalog), that the person has not rated, dismissed, watched, or been sent before; most popular first.
with found as (
  select unnest(c.movie_ids) as id from public.source_cache c
  where starts_with(c.cache_key, 'trending:') and c.fetched_at >= %(since)s
  union
  select m.id from public.movies m
  where m.source = 'tmdb' and m.fetched_at >= %(since)s and m.release_date >= %(released_after)s
)
select m.* from public.movies m
where m.id in (select id from found)
  and not (m.id = any(%(already_sent)s::bigint[]))
  and not exists (select 1 from public.ratings r where r.user_id = %(user_id)s and r.movie_id = m.id)
  and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = m.id
                    and f.kind in ('down', 'not_interested', 'seen'))
  and not exists (select 1 from public.watchlist w where w.user_id = %(user_id)s and w.movie_id = m.id
                    and w.watched_at is not null)
order by m.popularity desc, m.id
limit %(limit)s;
