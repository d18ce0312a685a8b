-- Household profiles without service rights in the app (issue 24.9): the profile switcher lists, adds and checks
-- profiles through two security-definer functions granted to cine_app (the app's own login, outside any user
-- transaction) and the service role only, never to anon or authenticated: household_profiles stays server-only
-- (no person reads another's name or password hash through the API). The app checks the password (argon2id)
-- and the household's limits (cine_core.household.profiles); its search_path is pinned.
--   household_profile_list(local id, default name)  the profiles, the personal-mode user first
--   household_profile_add(name, password hash)       a new auth.users row with its profile row; its id

create function public.household_profile_list(p_local_id uuid, p_default_name text)
returns table (id text, name text, has_password boolean, password_hash text, is_first boolean)
language sql stable security definer set search_path = '' as $$
  select u.id::text, coalesce(p.name, p_default_name), p.password_hash is not null, p.password_hash,
         u.id = p_local_id
    from auth.users u
    left join public.household_profiles p on p.user_id = u.id
   where u.id = p_local_id or p.user_id is not null
   order by u.id = p_local_id desc, p.created_at, p.name;
$$;

create function public.household_profile_add(p_name text, p_password_hash text)
returns text
language plpgsql security definer set search_path = '' as $$
declare
  new_id uuid;
begin
  insert into auth.users (id, email) values (gen_random_uuid(), null) returning id into new_id;
  insert into public.household_profiles (user_id, name, password_hash) values (new_id, p_name, p_password_hash);
  return new_id::text;
end
$$;

revoke all on function public.household_profile_list(uuid, text) from public, anon, authenticated;
revoke all on function public.household_profile_add(text, text) from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array['public.household_profile_list(uuid, text)', 'public.household_profile_add(text, text)']
  loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
