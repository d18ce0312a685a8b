-- The shared film cache without service rights (issue 24.9): the app (cine_app, outside any user transaction)
-- and the worker read and write `source_cache` and store fetched films in `movies` only through these
-- security-definer functions. Granted to cine_app and the service role only, never to anon or authenticated:
-- the cache keys hold what people searched for, so no person reads them through the REST API. Each does one
-- thing; its search_path is pinned. Films themselves stay readable by everyone (the app reads them as
-- `authenticated`, cine_core.db.shared_transaction).
--   film_cache_list(key)           a cached list: its film ids and when it was fetched
--   film_cache_latest(prefix)      the newest trending list under `trending:<source>:<window>:` (yesterday's
--                                  when today's cannot be fetched); any other prefix gets nothing
--   cache_films(films, partial)    films fetched from TMDB, Wikipedia or the catalog, as a JSON array of at most
--                                  100 `movies` rows (no fetched_at: the function stamps it). Every row must be
--                                  well formed (sizes, shapes, ranges below) or nothing is stored.
--                                  partial: list-endpoint films, only inserted when the id is new (stamped
--                                  1970, so details are fetched when wanted). Otherwise a film replaces a stored
--                                  one only where the cache would refetch it: a TMDB film replaces a catalog
--                                  row, a partial row or a TMDB row at least an hour old; a catalog film only a
--                                  partial row. Enrichment and the catalog-only columns survive a film without.
--   cache_film_list(key, ids)      a list endpoint's films (at most 200, all stored films) under a key of the
--                                  cache's own shape (`trending:`, `similar:`, `discover:` or `search:` then the
--                                  source's name; at most 600 characters)

create function public.film_cache_list(p_key text)
returns table (movie_ids bigint[], fetched_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select c.movie_ids, c.fetched_at from public.source_cache c where c.cache_key = p_key;
$$;

create function public.film_cache_latest(p_prefix text)
returns bigint[]
language sql stable security definer set search_path = '' as $$
  select c.movie_ids from public.source_cache c
   where p_prefix ~ '^trending:[a-z0-9_]{1,40}:[a-z]{1,10}:$' and starts_with(c.cache_key, p_prefix)
   order by c.fetched_at desc
   limit 1;
$$;

create function public.cache_films(p_films jsonb, p_partial boolean)
returns int
language plpgsql security definer set search_path = '' as $$
declare
  allowed constant text[] := array['id', 'title', 'year', 'release_date', 'overview', 'genres', 'keywords',
    'directors', 'top_cast', 'runtime', 'original_language', 'popularity', 'vote_average', 'vote_count',
    'poster_path', 'imdb_id', 'watch_providers', 'web_enrichment', 'source', 'original_title', 'certification',
    'popular_rank'];
  stamp constant timestamptz := case when p_partial then timestamptz '1970-01-01 00:00:00+00' else now() end;
  bad bigint;
begin
  if jsonb_typeof(p_films) is distinct from 'array' or jsonb_array_length(p_films) > 100
     or octet_length(p_films::text) > 8000000 then
    raise exception 'cache_films takes a JSON array of at most 100 films' using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_array_elements(p_films) e where jsonb_typeof(e) <> 'object')
     or exists (select 1 from jsonb_array_elements(p_films) e, jsonb_object_keys(e) k where k <> all (allowed)) then
    raise exception 'cache_films: every film is an object with the columns of a film row only' using errcode = '22023';
  end if;
  select f.id into bad from jsonb_populate_recordset(null::public.movies, p_films) f
   where not coalesce(
         f.id between 1 and 2147483647
     and length(btrim(f.title)) between 1 and 1000
     and (f.year is null or f.year between 1870 and 2200)
     and length(coalesce(f.overview, '')) <= 20000
     and cardinality(coalesce(f.genres, '{}')) <= 100 and cardinality(coalesce(f.keywords, '{}')) <= 500
     and cardinality(coalesce(f.directors, '{}')) <= 100 and cardinality(coalesce(f.top_cast, '{}')) <= 100
     and coalesce((select max(length(x)) from unnest(f.genres || f.keywords || f.directors || f.top_cast) x), 0) <= 300
     and (f.runtime is null or f.runtime between 0 and 10000)
     and (f.original_language is null or length(f.original_language) <= 20)
     and coalesce(f.popularity, 0) between 0 and 10000000
     and (f.vote_average is null or f.vote_average between 0 and 10)
     and coalesce(f.vote_count, 0) between 0 and 1000000000
     and (f.poster_path is null or f.poster_path ~ '^/[A-Za-z0-9_-]{1,200}\.(jpg|jpeg|png|webp)$')
     and (f.imdb_id is null or f.imdb_id ~ '^tt[0-9]{1,12}$')
     and (f.watch_providers is null
          or (jsonb_typeof(f.watch_providers) = 'object' and octet_length(f.watch_providers::text) <= 65536))
     and (f.web_enrichment is null
          or (jsonb_typeof(f.web_enrichment) = 'object' and octet_length(f.web_enrichment::text) <= 65536))
     and f.source in ('tmdb', 'catalog')
     and (f.original_title is null or length(f.original_title) <= 1000)
     and (f.certification is null or length(f.certification) <= 20)
     and (f.popular_rank is null or f.popular_rank between 1 and 10000000), false)
   limit 1;
  if found then
    raise exception 'cache_films: film % is not a well-formed film row', coalesce(bad::text, '(no id)')
      using errcode = '22023';
  end if;
  if p_partial then
    insert into public.movies (id, title, year, release_date, overview, genres, keywords, directors, top_cast,
      runtime, original_language, popularity, vote_average, vote_count, poster_path, imdb_id, watch_providers,
      web_enrichment, fetched_at, source, original_title, certification, popular_rank)
    select distinct on (f.id) f.id, btrim(f.title), f.year, f.release_date, coalesce(f.overview, ''),
           coalesce(f.genres, '{}'), coalesce(f.keywords, '{}'), coalesce(f.directors, '{}'),
           coalesce(f.top_cast, '{}'), f.runtime, f.original_language, coalesce(f.popularity, 0), f.vote_average,
           coalesce(f.vote_count, 0), f.poster_path, f.imdb_id, f.watch_providers, f.web_enrichment, stamp,
           f.source, f.original_title, f.certification, f.popular_rank
      from jsonb_populate_recordset(null::public.movies, p_films) f order by f.id
    on conflict (id) do nothing;
  else
    insert into public.movies as m (id, title, year, release_date, overview, genres, keywords, directors,
      top_cast, runtime, original_language, popularity, vote_average, vote_count, poster_path, imdb_id,
      watch_providers, web_enrichment, fetched_at, source, original_title, certification, popular_rank)
    select distinct on (f.id) f.id, btrim(f.title), f.year, f.release_date, coalesce(f.overview, ''),
           coalesce(f.genres, '{}'), coalesce(f.keywords, '{}'), coalesce(f.directors, '{}'),
           coalesce(f.top_cast, '{}'), f.runtime, f.original_language, coalesce(f.popularity, 0), f.vote_average,
           coalesce(f.vote_count, 0), f.poster_path, f.imdb_id, f.watch_providers, f.web_enrichment, stamp,
           f.source, f.original_title, f.certification, f.popular_rank
      from jsonb_populate_recordset(null::public.movies, p_films) f order by f.id
    on conflict (id) do update set
      title = excluded.title, year = excluded.year, release_date = excluded.release_date,
      overview = excluded.overview, genres = excluded.genres, keywords = excluded.keywords,
      directors = excluded.directors, top_cast = excluded.top_cast, runtime = excluded.runtime,
      original_language = excluded.original_language, popularity = excluded.popularity,
      vote_average = excluded.vote_average, vote_count = excluded.vote_count, poster_path = excluded.poster_path,
      imdb_id = excluded.imdb_id, watch_providers = excluded.watch_providers,
      web_enrichment = coalesce(excluded.web_enrichment, m.web_enrichment), fetched_at = excluded.fetched_at,
      source = excluded.source, original_title = coalesce(excluded.original_title, m.original_title),
      certification = coalesce(excluded.certification, m.certification),
      popular_rank = coalesce(excluded.popular_rank, m.popular_rank)
    where m.fetched_at = timestamptz '1970-01-01 00:00:00+00'
       or (excluded.source = 'tmdb' and (m.source <> 'tmdb' or m.fetched_at < now() - interval '1 hour'));
  end if;
  return jsonb_array_length(p_films);
end
$$;

create function public.cache_film_list(p_key text, p_movie_ids bigint[])
returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_key is null or length(p_key) > 600 or p_key !~ '^(trending|similar|discover|search):[a-z0-9_]{1,40}:' then
    raise exception 'cache_film_list: not a key of the film cache' using errcode = '22023';
  end if;
  if p_movie_ids is null or cardinality(p_movie_ids) > 200
     or exists (select 1 from unnest(p_movie_ids) i where not exists (select 1 from public.movies m where m.id = i)) then
    raise exception 'cache_film_list: at most 200 ids of stored films' using errcode = '22023';
  end if;
  insert into public.source_cache (cache_key, movie_ids, fetched_at) values (p_key, p_movie_ids, now())
  on conflict (cache_key) do update set movie_ids = excluded.movie_ids, fetched_at = now();
end
$$;

revoke all on function public.film_cache_list(text) from public, anon, authenticated;
revoke all on function public.film_cache_latest(text) from public, anon, authenticated;
revoke all on function public.cache_films(jsonb, boolean) from public, anon, authenticated;
revoke all on function public.cache_film_list(text, bigint[]) from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array[
    'public.film_cache_list(text)', 'public.film_cache_latest(text)', 'public.cache_films(jsonb, boolean)',
    'public.cache_film_list(text, bigint[])'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
