-- The dashboard tells a user when the worker gave up on refreshing their picks. Signed-in users have
-- no rights on the queue, so they read their own jobs through this function. Like row-level security,
-- it shows only the caller's own jobs (asking for anyone else's id returns "nothing queued, nothing
-- failed"), and no error texts: those can name internals and stay in the worker's logs.
create function public.my_refresh_state(p_user_id uuid)
returns table (waiting boolean, last_failed_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select coalesce(bool_or(q.status in ('pending', 'running')), false),
         max(q.processed_at) filter (where q.status = 'failed')
    from public.recommendation_refresh_queue q
   where q.user_id = p_user_id and p_user_id = auth.uid()
$$;
revoke all on function public.my_refresh_state(uuid) from public, anon;
grant execute on function public.my_refresh_state(uuid) to authenticated;
