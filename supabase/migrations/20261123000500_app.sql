-- What the Streamlit app needs beyond the core schema: dismissing a film that is not (yet) a pick,
-- and a status read of service-only tables. Both run as `security definer` with an empty search_path
-- so a signed-in user gets exactly this and nothing more.

-- "Not interested" on a film that is not among the user's picks (e.g. a fallback film): store it as a
-- pick row with feedback so the worker never proposes it again. Users have no insert right on
-- recommendations, hence the function. Existing picks keep their reason and confidence.
create function public.dismiss_movie(p_movie_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
begin
  if uid is null then
    raise exception 'dismiss_movie needs a signed-in user' using errcode = '42501';
  end if;
  insert into public.recommendations
    (user_id, movie_id, reason, discovery_source, confidence, below_threshold, matcher, feedback, feedback_at)
  values (uid, p_movie_id, '', 'popular_fallback', 0, true, 'app', 'not_interested', now())
  on conflict (user_id, movie_id) do update set feedback = 'not_interested', feedback_at = now();
end;
$$;
revoke all on function public.dismiss_movie(bigint) from public, anon;
grant execute on function public.dismiss_movie(bigint) to authenticated;

-- The Status page: worker liveness, queue depth and API cost. Aggregates only — no user ids, no
-- error texts — so any signed-in user may read them without rights on the underlying tables.
create function public.app_status(p_alive_seconds int default 120)
returns table (
  workers_alive int,
  workers_total int,
  last_seen timestamptz,
  last_scout_at timestamptz,
  jobs_done bigint,
  jobs_failed bigint,
  queue_pending bigint,
  queue_running bigint,
  queue_failed bigint,
  oldest_pending_at timestamptz
)
language sql stable security definer set search_path = '' as $$
  select
    (select count(*)::int from public.worker_heartbeat
      where last_seen > now() - make_interval(secs => p_alive_seconds)),
    (select count(*)::int from public.worker_heartbeat),
    (select max(last_seen) from public.worker_heartbeat),
    (select max(last_scout_at) from public.worker_heartbeat),
    (select coalesce(sum(jobs_done), 0)::bigint from public.worker_heartbeat),
    (select coalesce(sum(jobs_failed), 0)::bigint from public.worker_heartbeat),
    (select count(*) from public.recommendation_refresh_queue where status = 'pending'),
    (select count(*) from public.recommendation_refresh_queue where status = 'running'),
    (select count(*) from public.recommendation_refresh_queue where status = 'failed'),
    (select min(created_at) from public.recommendation_refresh_queue where status = 'pending')
$$;
revoke all on function public.app_status(int) from public, anon;
grant execute on function public.app_status(int) to authenticated;

create function public.app_api_usage()
returns table (
  service text,
  calls_24h bigint,
  errors_24h bigint,
  cost_24h_usd numeric,
  calls_30d bigint,
  errors_30d bigint,
  cost_30d_usd numeric,
  tokens_in_30d bigint,
  tokens_out_30d bigint
)
language sql stable security definer set search_path = '' as $$
  select
    u.service,
    count(*) filter (where u.at > now() - interval '24 hours'),
    count(*) filter (where u.at > now() - interval '24 hours' and not u.ok),
    coalesce(sum(u.estimated_cost_usd) filter (where u.at > now() - interval '24 hours'), 0),
    count(*),
    count(*) filter (where not u.ok),
    coalesce(sum(u.estimated_cost_usd), 0),
    coalesce(sum(u.tokens_in), 0)::bigint,
    coalesce(sum(u.tokens_out), 0)::bigint
  from public.api_usage u
  where u.at > now() - interval '30 days'
  group by u.service
  order by u.service
$$;
revoke all on function public.app_api_usage() from public, anon;
grant execute on function public.app_api_usage() to authenticated;
