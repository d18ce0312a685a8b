-- Named queries for cine_core.recommend.suggest (catalog films for one chat request or mood chip).

-- name: candidates
-- Films the user has neither rated nor dismissed that fit the request's hard limits, most popular first;
-- the mood fit, the likeness to a named film and the user's taste are scored in Python on this pool.
select m.* from public.movies m
where m.vote_count >= %(min_votes)s
  and ((cardinality(%(any_genres)s::text[]) = 0 and cardinality(%(any_keywords)s::text[]) = 0)
       or m.genres && %(any_genres)s::text[] or m.keywords && %(any_keywords)s::text[])
  and m.genres @> %(all_genres)s::text[]
  and not m.genres && %(avoid_genres)s::text[]
  and (%(runtime_max)s::int is null or m.runtime <= %(runtime_max)s::int)
  and coalesce(m.runtime, %(feature_minutes)s) >= coalesce(%(runtime_min)s::int, %(feature_minutes)s)
  and (%(year_from)s::int is null or m.year >= %(year_from)s::int)
  and (%(year_to)s::int is null or m.year <= %(year_to)s::int)
  and not m.id = any(%(exclude)s::bigint[])
  and not exists (select 1 from public.ratings x where x.user_id = %(user_id)s and x.movie_id = m.id)
  and not exists (select 1 from public.recommendations x where x.user_id = %(user_id)s and x.movie_id = m.id
                    and x.feedback in ('down', 'not_interested'))
order by m.popularity desc
limit %(pool_size)s;
