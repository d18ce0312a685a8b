-- Operators apart from users (issue 18). Installation-wide figures (worker liveness, queue depth, the whole
-- API spend, failed jobs with their error texts) are for operators only: the app reads them over its
-- service connection after checking CINE_OPERATOR_EMAILS (cine_core.app.status), so signed-in users lose
-- EXECUTE on the global functions. A person reads their own API usage and their own refresh state.
revoke all on function public.app_status(int) from public, anon, authenticated;
revoke all on function public.app_api_usage() from public, anon, authenticated;

-- "Last scout" from the real scout state (when a user's picks were last scouted), not from the heartbeat
-- rows, which only the scheduled pass of a still-registered worker fills in.
create or replace function public.app_status(p_alive_seconds int default 120)
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
    (select max(s.last_scout_at) from public.scout_state s),
    (select coalesce(sum(jobs_done), 0)::bigint from public.worker_heartbeat),
    (select coalesce(sum(jobs_failed), 0)::bigint from public.worker_heartbeat),
    (select count(*) from public.recommendation_refresh_queue where status = 'pending'),
    (select count(*) from public.recommendation_refresh_queue where status = 'running'),
    (select count(*) from public.recommendation_refresh_queue where status = 'failed'),
    (select min(created_at) from public.recommendation_refresh_queue where status = 'pending')
$$;
revoke all on function public.app_status(int) from public, anon, authenticated;

-- The caller's own API usage (calls made on their behalf), same shape as app_api_usage().
create function public.my_api_usage()
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
  where u.user_id = (select auth.uid()) and u.at > now() - interval '30 days'
  group by u.service
  order by u.service
$$;
revoke all on function public.my_api_usage() from public, anon;
grant execute on function public.my_api_usage() to authenticated;
