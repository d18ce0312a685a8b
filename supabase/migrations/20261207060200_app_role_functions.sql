-- The app's server-owned work through narrow security-definer functions granted to cine_app (issue 24.9,
-- 26.3), so these writes and reads need no service login: each function does one thing, its search_path is
-- pinned, and EXECUTE belongs to cine_app (the app's own login, outside any user transaction) and the
-- service role only, never to anon or authenticated (a person through the REST API cannot call them).
--   record_api_usage(...)        one api_usage row per external call (cine_core.metering.usage)
--   claude_spend_today(user)     today's Claude spend and this person's calls (cine_core.llm.budget's caps)
--   app_status(int), app_api_usage()  the operator's Status figures (the app checks who is an operator)

create function public.record_api_usage(
  p_service text, p_operation text, p_model text, p_user_id uuid, p_tokens_in int, p_tokens_out int,
  p_cache_read_tokens int, p_cache_write_tokens int, p_estimated_cost_usd numeric, p_ok boolean, p_error text
) returns void
language sql security definer set search_path = '' as $$
  insert into public.api_usage (service, operation, model, user_id, tokens_in, tokens_out, cache_read_tokens,
                                cache_write_tokens, estimated_cost_usd, ok, error)
  values (p_service, p_operation, p_model, p_user_id, p_tokens_in, p_tokens_out, p_cache_read_tokens,
          p_cache_write_tokens, p_estimated_cost_usd, p_ok, left(p_error, 500));
$$;

create function public.claude_spend_today(p_user_id uuid)
returns table (usd float8, user_calls bigint)
language sql stable security definer set search_path = '' as $$
  select coalesce(sum(u.estimated_cost_usd), 0)::float8,
         count(*) filter (where u.user_id = p_user_id)
    from public.api_usage u
   where u.service = 'anthropic' and u.at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc';
$$;

revoke all on function public.record_api_usage(text, text, text, uuid, int, int, int, int, numeric, boolean, text)
  from public, anon, authenticated;
revoke all on function public.claude_spend_today(uuid) from public, anon, authenticated;
-- The operator's figures were granted to authenticated; the app calls them as cine_app.
revoke all on function public.app_status(int) from public, anon, authenticated;
revoke all on function public.app_api_usage() from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array[
    'public.record_api_usage(text, text, text, uuid, int, int, int, int, numeric, boolean, text)',
    'public.claude_spend_today(uuid)', 'public.app_status(int)', 'public.app_api_usage()'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
