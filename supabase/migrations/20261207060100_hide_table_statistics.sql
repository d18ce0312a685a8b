-- Table statistics are nobody's business but the server's (issue 24.8). Every role could read every table's
-- live row count (pg_stat_user_tables.n_live_tup: how many people, ratings, chat messages the installation
-- holds) and its insert/update/delete counters, through the statistics views or the functions behind them.
-- Revoked from PUBLIC (which covers anon, authenticated and cine_app): the per-relation, per-function and
-- per-database statistics views, and every pg_stat_get_* function that takes an object's oid. Kept:
-- pg_stat_activity (the worker's lock check reads it; non-superusers see only their own sessions' queries).
-- Superusers keep everything. Where the migrating role may not revoke (hosted Supabase: pg_catalog belongs to
-- supabase_admin) a warning says so and docs/roles.md gives the statements to run as that role.
-- Not covered: pg_class.reltuples, the planner's row estimate, stays readable (clients and the REST API read
-- pg_class to work at all).
do $$
declare
  target text;
begin
  for target in
    select format('table pg_catalog.%I', c.relname) from pg_catalog.pg_class c
     where c.relnamespace = 'pg_catalog'::regnamespace and c.relkind = 'v'
       and (c.relname like 'pg\_stat\_%' or c.relname like 'pg\_statio\_%')
       and c.relname ~ '(tables|indexes|sequences|functions|database|database_conflicts)$'
    union all
    select format('function %s', p.oid::regprocedure) from pg_catalog.pg_proc p
     where p.pronamespace = 'pg_catalog'::regnamespace and p.proname like 'pg\_stat\_get\_%'
       and p.pronargs = 1 and p.proargtypes[0] = 'oid'::regtype
  loop
    begin
      execute format('revoke all on %s from public', target);
    exception when insufficient_privilege then
      raise warning 'could not revoke % from public (%): see docs/roles.md', target, sqlerrm;
    end;
  end loop;
end
$$;
