-- Named queries for cine_core.films.row_cache (parsed `movies` rows kept per process, checked by row version).

-- name: versions
-- Each row's version: xmin, the transaction that wrote this version of it (an insert or an update, by any
-- process, gives the row a new one; transaction ids are unique across a server's databases, and a database
-- copied from a template copies its rows unchanged), with the server's start time, so that a process that talks
-- to two servers one after the other (tests, benches) never takes one server's row for the other's.
select id, xmin::text || '@' || extract(epoch from pg_postmaster_start_time())::text as row_version
  from public.movies where id = any(%s);

-- name: rows
select *, xmin::text || '@' || extract(epoch from pg_postmaster_start_time())::text as row_version
  from public.movies where id = any(%s);
