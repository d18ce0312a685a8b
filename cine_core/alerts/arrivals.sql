-- Named queries for cine_core.alerts (arrivals.py reads in the person's own transaction; checks.py and
-- push.py write with the service connection).

-- name: watched_films
-- Each person with streaming services, with the films to watch for them: the unwatched watchlist and the
-- top picks.
with people as (
  select user_id, coalesce(region, %(default_region)s) as region, streaming_services
  from public.user_settings where cardinality(streaming_services) > 0
), films as (
  select user_id, movie_id from public.watchlist where watched_at is null
  union
  select user_id, movie_id from (
    select user_id, movie_id, row_number() over (partition by user_id order by confidence desc, movie_id) as n
    from public.recommendations
  ) ranked where n <= %(top_picks)s
)
select p.user_id::text as user_id, p.region, p.streaming_services, f.movie_id
from people p join films f on f.user_id = p.user_id
order by f.movie_id, p.user_id;

-- name: fresh_checks
select movie_id, region from public.film_provider_checks
where movie_id = any(%(ids)s) and checked_at > %(since)s;

-- name: store_providers
-- The regions asked about: replaced by what TMDB says now (a region TMDB no longer lists is removed).
update public.movies
set watch_providers = (coalesce(watch_providers, '{}'::jsonb) - %(regions)s::text[]) || %(offers)s::jsonb
where id = %(movie_id)s;

-- name: mark_checked
insert into public.film_provider_checks (movie_id, region, checked_at)
select %(movie_id)s, unnest(%(regions)s::text[]), %(now)s
on conflict (movie_id, region) do update set checked_at = excluded.checked_at;

-- name: providers_of
select id, watch_providers from public.movies where id = any(%(ids)s);

-- name: record_services
-- arrived_at is set once: when the film was on none of their services at the previous check and is now.
-- The first check of a film sets no arrival (it may have been there all along).
insert into public.service_arrivals as a (user_id, movie_id, region, services, checked_at)
values (%(user_id)s, %(movie_id)s, %(region)s, %(services)s, %(now)s)
on conflict (user_id, movie_id) do update set
  arrived_at = case when a.arrived_at is null and cardinality(a.services) = 0 and cardinality(excluded.services) > 0
                    then excluded.checked_at else a.arrived_at end,
  services = excluded.services, region = excluded.region, checked_at = excluded.checked_at
returning (arrived_at = %(now)s) as arrived_now;

-- name: unpushed
select a.user_id::text as user_id, a.movie_id, m.title, m.year, a.services, a.arrived_at, s.notify_url
from public.service_arrivals a
join public.movies m on m.id = a.movie_id
join public.user_settings s on s.user_id = a.user_id
where a.arrived_at is not null and a.pushed_at is null and s.notify_url is not null
order by a.user_id, a.arrived_at, a.movie_id;

-- name: mark_pushed
update public.service_arrivals set pushed_at = %(now)s
where user_id = %(user_id)s and movie_id = any(%(ids)s) and pushed_at is null;

-- name: new_arrivals
select a.movie_id, m.title, m.year, a.services, a.arrived_at
from public.service_arrivals a join public.movies m on m.id = a.movie_id
where a.user_id = %(user_id)s and a.arrived_at is not null and a.noticed_at is null
  and cardinality(a.services) > 0
order by a.arrived_at desc, m.title;

-- name: dismiss
update public.service_arrivals set noticed_at = now()
where user_id = %(user_id)s and arrived_at is not null and noticed_at is null;

-- name: unemailed
select a.movie_id, m.title, m.year, a.services, a.arrived_at
from public.service_arrivals a join public.movies m on m.id = a.movie_id
where a.user_id = %(user_id)s and a.arrived_at is not null and a.emailed_at is null
  and cardinality(a.services) > 0
order by a.arrived_at, m.title;

-- name: mark_emailed
update public.service_arrivals set emailed_at = now()
where user_id = %(user_id)s and movie_id = any(%(ids)s) and emailed_at is null;

-- name: streamable_watchlist
-- The watchlist films that stream on the person's services now, from the stored providers.
select w.movie_id, m.watch_providers
from public.watchlist w join public.movies m on m.id = w.movie_id
where w.user_id = %(user_id)s and w.watched_at is null and m.watch_providers is not null;
