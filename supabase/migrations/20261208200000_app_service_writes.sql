-- Fewer service rights in the app (issue 24.9): three of its remaining service-rights writes and reads go
-- through narrow security-definer functions granted to cine_app (the app's own login, outside any user
-- transaction) and the service role only, never to anon or authenticated (a person through the REST API cannot
-- call them). Each does one thing; its search_path is pinned.
--   unsubscribe_weekly_digest(user)  the signed unsubscribe link (the app checks the signature; the visitor is
--                                    not signed in): weekly_digest off, true when it was on
--   app_failed_jobs(limit)           the operator's failed refresh jobs, newest first (the app checks who is an
--                                    operator)
--   app_retry_failed_jobs()          the operator's retry: failed jobs back in the queue, one per person

create function public.unsubscribe_weekly_digest(p_user_id uuid)
returns boolean
language sql security definer set search_path = '' as $$
  with switched as (
    update public.user_settings set weekly_digest = false, updated_at = now()
     where user_id = p_user_id and weekly_digest
    returning user_id)
  select exists (select 1 from switched);
$$;

create function public.app_failed_jobs(p_limit int)
returns table (id bigint, user_id text, trigger_type text, attempts int, last_error text, created_at timestamptz,
               processed_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select q.id, q.user_id::text, q.trigger_type, q.attempts, q.last_error, q.created_at, q.processed_at
    from public.recommendation_refresh_queue q
   where q.status = 'failed'
   order by q.processed_at desc nulls last
   limit least(greatest(coalesce(p_limit, 20), 0), 200);
$$;

create function public.app_retry_failed_jobs()
returns int
language sql security definer set search_path = '' as $$
  with candidates as (
    select distinct on (f.user_id) f.id
      from public.recommendation_refresh_queue f
     where f.status = 'failed'
       and not exists (select 1 from public.recommendation_refresh_queue p
                        where p.user_id = f.user_id and p.status = 'pending')
     order by f.user_id, f.id desc),
  retried as (
    update public.recommendation_refresh_queue q
       set status = 'pending', attempts = 0, interruptions = 0, run_after = now(), processed_at = null
      from candidates
     where q.id = candidates.id
    returning q.id)
  select count(*)::int from retried;
$$;

revoke all on function public.unsubscribe_weekly_digest(uuid) from public, anon, authenticated;
revoke all on function public.app_failed_jobs(int) from public, anon, authenticated;
revoke all on function public.app_retry_failed_jobs() from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array[
    'public.unsubscribe_weekly_digest(uuid)', 'public.app_failed_jobs(int)', 'public.app_retry_failed_jobs()'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
