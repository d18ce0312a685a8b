-- Named queries for cine_core.jobs.user_lock: one scorer per user at a time, across worker processes.
-- A session-level advisory lock keyed on the user (namespaced so it cannot collide with other advisory locks).

-- name: try_lock
select pg_try_advisory_lock(hashtextextended('cine_scoring:' || %(user_id)s, 0)) as held;

-- name: unlock
select pg_advisory_unlock(hashtextextended('cine_scoring:' || %(user_id)s, 0)) as released;
