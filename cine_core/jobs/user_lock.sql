-- Named queries for cine_core.jobs.user_lock: one scorer per user at a time, across worker processes.
-- A session-level advisory lock keyed on the user (namespaced so it cannot collide with other advisory locks).

-- name: try_lock
select pg_try_advisory_lock(hashtextextended('cine_scoring:' || %(user_id)s, 0)) as held;

-- name: unlock
select pg_advisory_unlock(hashtextextended('cine_scoring:' || %(user_id)s, 0)) as released;

-- name: name_session
-- The lock's session names its worker, so a waiter can tell a hung holder from a busy one.
select set_config('application_name', %(name)s, false);

-- name: unname_session
select set_config('application_name', '', false);

-- name: evict_dead_holder
-- The session holding a user's lock belongs to a worker whose heartbeat stopped (SIGSTOP, a frozen VM):
-- end that session, which drops the lock. Its job was already released (refresh_queue.release_orphans)
-- and the lease check at commit keeps the frozen worker from storing anything if it wakes up.
select pg_terminate_backend(l.pid) as evicted, a.application_name as holder
from pg_locks l
join pg_stat_activity a on a.pid = l.pid
join public.worker_heartbeat h on a.application_name = 'cine-worker ' || h.worker_id
where l.locktype = 'advisory' and l.granted and l.objsubid = 1
  and l.classid::bigint = ((hashtextextended('cine_scoring:' || %(user_id)s, 0) >> 32) & 4294967295)
  and l.objid::bigint = (hashtextextended('cine_scoring:' || %(user_id)s, 0) & 4294967295)
  and h.last_seen < now() - make_interval(secs => %(dead_after_seconds)s);
