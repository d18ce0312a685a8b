-- Named queries for cine_core.digest.sent_log (service connection only).

-- name: opted_in
-- People who asked for the weekly email and have an address, without this week's email sent or claimed.
select s.user_id::text as user_id, s.region, s.streaming_services, coalesce(s.digest_email, u.email) as email,
       s.digest_day, s.digest_hour
from public.user_settings s
join auth.users u on u.id = s.user_id
where s.weekly_digest and coalesce(s.digest_email, u.email) is not null
  and (%(user_id)s::uuid is null or s.user_id = %(user_id)s::uuid)
  and not exists (select 1 from public.digest_log d where d.user_id = s.user_id and d.iso_week = %(week)s
                    and (d.status <> 'failed' or d.attempts >= %(max_attempts)s))
order by s.user_id;

-- name: claim
-- Exactly one caller gets a row back per person and week; a refused send may be claimed again.
insert into public.digest_log as d (user_id, iso_week) values (%(user_id)s, %(week)s)
on conflict (user_id, iso_week) do update
  set status = 'sending', attempts = d.attempts + 1, claimed_at = now(), last_error = null
  where d.status = 'failed' and d.attempts < %(max_attempts)s
returning d.attempts;

-- name: finish
update public.digest_log
set status = %(status)s, film_ids = %(film_ids)s, sent_at = case when %(status)s = 'sent' then now() end,
    last_error = %(last_error)s
where user_id = %(user_id)s and iso_week = %(week)s;

-- name: history
-- When the last email went out and every film any email showed.
select max(sent_at) as last_sent_at, coalesce(array_agg(f) filter (where f is not null), '{}') as film_ids
from public.digest_log d
left join lateral unnest(d.film_ids) f on true
where d.user_id = %(user_id)s and d.status = 'sent';

-- name: unsubscribe
update public.user_settings set weekly_digest = false, updated_at = now()
where user_id = %(user_id)s and weekly_digest
returning user_id;
