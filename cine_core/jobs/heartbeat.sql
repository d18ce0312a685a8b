-- Named queries for cine_core.jobs.heartbeat (one `worker_heartbeat` row per worker process).

-- name: upsert
-- A restarted worker with the same id starts its counters again.
insert into public.worker_heartbeat (worker_id, hostname, pid, started_at, last_seen)
values (%(worker_id)s, %(hostname)s, %(pid)s, now(), now())
on conflict (worker_id) do update
   set hostname = excluded.hostname, pid = excluded.pid, started_at = now(), last_seen = now(),
       jobs_done = 0, jobs_failed = 0, last_scout_at = null;

-- name: prune
delete from public.worker_heartbeat
 where last_seen < now() - make_interval(days => %(forget_days)s) and worker_id <> %(worker_id)s;

-- name: beat
update public.worker_heartbeat set last_seen = now() where worker_id = %(worker_id)s;

-- name: job_finished
update public.worker_heartbeat
   set last_seen = now(), jobs_done = jobs_done + %(done)s, jobs_failed = jobs_failed + %(failed)s
 where worker_id = %(worker_id)s;

-- name: scouted
update public.worker_heartbeat set last_seen = now(), last_scout_at = now() where worker_id = %(worker_id)s;
