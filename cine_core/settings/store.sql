-- Named queries for cine_core.settings.store (a person's settings; every query filters by user_id).

-- name: load
select user_id::text as user_id, region, streaming_services, weekly_digest, digest_email, digest_day, digest_hour,
       notify_url
from public.user_settings
where user_id = %(user_id)s;

-- name: save
insert into public.user_settings as s
  (user_id, region, streaming_services, weekly_digest, digest_email, digest_day, digest_hour, notify_url)
values (%(user_id)s, %(region)s, %(streaming_services)s, %(weekly_digest)s, %(digest_email)s, %(digest_day)s,
        %(digest_hour)s, %(notify_url)s)
on conflict (user_id) do update set
  region = excluded.region, streaming_services = excluded.streaming_services,
  weekly_digest = excluded.weekly_digest, digest_email = excluded.digest_email,
  digest_day = excluded.digest_day, digest_hour = excluded.digest_hour, notify_url = excluded.notify_url,
  updated_at = now();

-- name: many
select user_id::text as user_id, region, streaming_services, weekly_digest, digest_email, digest_day, digest_hour,
       notify_url
from public.user_settings
where user_id = any(%(user_ids)s::uuid[]);

-- name: known_providers
-- Streaming services (subscription or free) of one region, from the films TMDB told us about; the ones
-- offering most films first within TMDB's display priority.
select p ->> 'provider_name' as name, min((p ->> 'display_priority')::int) as priority, count(distinct m.id) as films
from public.movies m
cross join lateral jsonb_array_elements(
  coalesce(m.watch_providers -> %(region)s -> 'flatrate', '[]'::jsonb)
  || coalesce(m.watch_providers -> %(region)s -> 'free', '[]'::jsonb)
  || coalesce(m.watch_providers -> %(region)s -> 'ads', '[]'::jsonb)) p
where m.watch_providers is not null and jsonb_typeof(m.watch_providers) = 'object'
  and m.watch_providers ? %(region)s
group by 1
order by count(distinct m.id) desc, 2, 1;
