-- The app's login role (issue 18). The Streamlit app does its users' work as `cine_app`: a member of
-- `authenticated` only (so a user-scoped transaction can `set local role authenticated` with the user's JWT
-- claims), never of `service_role`, no superuser, no BYPASSRLS, and no privileges of its own (NOINHERIT: outside
-- a user-scoped transaction it reads and writes nothing). Inside one, `reset role` lands on cine_app again, so
-- nothing a statement does can climb to service rights. The worker and `setup` keep the service connection.
--
-- Hosted Supabase: created NOLOGIN here; the operator gives it a login and password (docs/roles.md):
--   alter role cine_app with login password '<a long random password>';
-- Plain or embedded Postgres (no supabase_auth_admin role): LOGIN without a password, for connections the
-- server trusts (the embedded pgserver's socket); set a password yourself where connections need one.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'cine_app') then
    create role cine_app nologin noinherit nosuperuser nocreatedb nocreaterole nobypassrls;
  end if;
  -- Only a superuser may even name SUPERUSER/BYPASSRLS in ALTER ROLE (Supabase's postgres is not one): the
  -- app checks those itself when it opens its pool (cine_core.db.app_role.check_app_role).
  begin
    alter role cine_app noinherit;
    if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
      alter role cine_app login;
    end if;
    grant authenticated to cine_app;
  exception when insufficient_privilege then
    -- docs/roles.md gives the statements to run as a role that can.
    raise warning 'could not finish setting up role cine_app (%); see docs/roles.md', sqlerrm;
  end;
  if pg_has_role('cine_app', 'service_role', 'member') then
    raise warning 'cine_app is a member of service_role: the app will refuse it; revoke service_role from cine_app';
  end if;
end
$$;
