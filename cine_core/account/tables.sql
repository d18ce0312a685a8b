-- Named queries for cine_core.account.tables: which tables of schema public hold a person's rows, read from
-- the catalog (foreign keys), so a table added by a later migration is found without a code change.

-- name: user_columns
-- Columns referencing auth.users, with the foreign key's ON DELETE action
-- ('c' cascade, 'n' set null, 'd' set default, 'r' restrict, 'a' no action).
select cl.relname::text as table_name, a.attname::text as column_name, c.confdeltype::text as on_delete
from pg_constraint c
join pg_class cl on cl.oid = c.conrelid
join pg_namespace n on n.oid = cl.relnamespace
join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
where c.contype = 'f' and c.confrelid = 'auth.users'::regclass and n.nspname = 'public'
order by 1, 2;

-- name: child_tables
-- Tables whose rows hang off a per-user table (movie_night_picks -> movie_night_pairs), one level down.
select cl.relname::text as table_name, a.attname::text as column_name, p.relname::text as parent_table,
       pa.attname::text as parent_column, c.confdeltype::text as on_delete
from pg_constraint c
join pg_class cl on cl.oid = c.conrelid
join pg_namespace n on n.oid = cl.relnamespace
join pg_class p on p.oid = c.confrelid
join pg_namespace pn on pn.oid = p.relnamespace
join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
where c.contype = 'f' and n.nspname = 'public' and pn.nspname = 'public'
  and p.relname = any(%(parents)s) and cl.relname <> all(%(parents)s)
order by 1, 2;

-- name: readable_columns
-- The columns the signed-in role may read (the export runs as the person, so RLS and grants apply).
select a.attname::text as column_name
from pg_attribute a
where a.attrelid = ('public.' || %(table)s)::regclass and a.attnum > 0 and not a.attisdropped
  and has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT')
order by a.attnum;
