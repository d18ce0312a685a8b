-- Named queries for cine_core.jobs.refresh_queue (the only code touching recommendation_refresh_queue).
-- Each query starts with a `-- name: <name>` line; parameters are psycopg named placeholders.

-- name: request_refresh
-- The one Python entry point's SQL: public.request_refresh (the migration 20261207050000_one_enqueue_path)
-- checks who may ask and applies the manual limit, then public.enqueue_refresh, the one insert, coalesces.
select public.request_refresh(%(user_id)s::uuid, %(trigger_type)s, %(movie_id)s) as created;

-- name: enqueue_later
-- The user was being scored elsewhere (user_lock) or the worker stopped: the same request again, through
-- the one insert (a pending job already covers it and keeps the earlier due time).
select public.enqueue_refresh(%(user_id)s::uuid, %(trigger_type)s, %(movie_id)s, %(delay_seconds)s) as created;

-- name: carry_counts
-- The pending job that now covers a deferred one inherits its lock waits and worker deaths, so a user
-- locked for good (a hung worker) ends in a visible failure rather than being asked for forever.
update public.recommendation_refresh_queue
set deferrals = greatest(deferrals, %(deferrals)s), interruptions = greatest(interruptions, %(interruptions)s)
where user_id = %(user_id)s::uuid and status = 'pending'
returning id;

-- name: assert_lease
-- Held at commit: a worker that lost its lease (taken for dead) must not write results for the job.
select id from public.recommendation_refresh_queue
where id = %(job_id)s and locked_by = %(worker_id)s and status = 'running'
for share;

-- name: drop_own_job
-- A stopping worker hands its running job back (enqueue_later then asks for it again at once).
delete from public.recommendation_refresh_queue
where id = %(job_id)s and locked_by = %(worker_id)s and status = 'running'
returning id;

-- name: mark_deferred_too_often
update public.recommendation_refresh_queue
set status = 'failed', processed_at = now(), locked_by = null, locked_until = null,
    deferrals = deferrals + 1, last_error = %(error)s
where id = %(job_id)s and locked_by = %(worker_id)s and status = 'running'
returning id;

-- name: notify
select pg_notify(%(channel)s, %(payload)s);

-- name: fail_exhausted_leases
-- A job whose lease ran out max_attempts times (or whose workers died max_interruptions times) is not
-- claimed again: it ends visibly failed.
update public.recommendation_refresh_queue
set status = 'failed',
    processed_at = now(),
    locked_by = null,
    locked_until = null,
    last_error = coalesce(last_error || ' / ', '') || 'lease expired after ' || attempts || ' attempt(s)'
where status = 'running'
  and locked_until < now()
  and (attempts >= max_attempts or interruptions + 1 >= %(max_interruptions)s);

-- name: lock_orphaned_jobs
-- Running jobs whose worker stopped beating: it died (SIGKILL, OOM, power loss) well before its lease
-- would run out. Workers without a heartbeat row are left to the lease.
select q.id, q.user_id, q.attempts, q.interruptions, q.locked_by,
       extract(epoch from now() - h.last_seen)::float8 as silent_seconds
from public.recommendation_refresh_queue q
join public.worker_heartbeat h on h.worker_id = q.locked_by
where q.status = 'running'
  and h.last_seen < now() - make_interval(secs => %(dead_after_seconds)s)
order by q.id
for update of q skip locked;

-- name: requeue_orphan
-- Back to pending, keeping run_after (it is the oldest job, so it is retaken first); not a failure.
update public.recommendation_refresh_queue
set status = 'pending', locked_by = null, locked_until = null,
    interruptions = interruptions + 1, last_error = %(error)s
where id = %(job_id)s;

-- name: mark_poison
update public.recommendation_refresh_queue
set status = 'failed', processed_at = now(), locked_by = null, locked_until = null,
    interruptions = interruptions + 1, last_error = %(error)s
where id = %(job_id)s;

-- name: merge_orphan_into_pending
-- A newer request for the same user covers the orphan; it inherits the interruption count so a
-- poison job is still given up.
update public.recommendation_refresh_queue
set interruptions = greatest(interruptions, %(interruptions)s),
    attempts = greatest(attempts, %(attempts)s)
where id = %(pending_id)s;

-- name: claim_job
-- Pending and due, or running with an expired lease (its worker died). A pending job waits while
-- another job of the same user holds a live lease, so one user is refreshed by one worker at a time.
with job as (
  select q.id
  from public.recommendation_refresh_queue q
  where q.run_after <= now()
    and (q.status = 'pending'
         or (q.status = 'running' and q.locked_until < now() and q.attempts < q.max_attempts))
    and not exists (
      select 1 from public.recommendation_refresh_queue r
      where r.user_id = q.user_id and r.id <> q.id and r.status = 'running' and r.locked_until >= now()
    )
  order by q.run_after, q.id
  limit 1
  for update skip locked
)
update public.recommendation_refresh_queue q
set status = 'running',
    locked_by = %(worker_id)s,
    locked_until = now() + make_interval(secs => %(lease_seconds)s),
    attempts = q.attempts + 1,
    -- retaking an expired lease: the previous claim ended with its worker's death, not a failure
    interruptions = q.interruptions + (q.status = 'running')::int
from job
where q.id = job.id
returning q.id, q.user_id::text as user_id, q.trigger_type, q.attempts, q.max_attempts, q.created_at,
          q.locked_until, q.movie_id, q.interruptions, q.deferrals, q.locked_by;

-- name: complete_job
delete from public.recommendation_refresh_queue
where id = %(job_id)s and locked_by = %(worker_id)s
returning id, user_id::text as user_id;

-- name: lock_own_job
select id, user_id, attempts, interruptions, max_attempts
from public.recommendation_refresh_queue
where id = %(job_id)s and locked_by = %(worker_id)s and status = 'running'
for update;

-- name: mark_failed
update public.recommendation_refresh_queue
set status = 'failed', processed_at = now(), locked_by = null, locked_until = null, last_error = %(error)s
where id = %(job_id)s;

-- name: lock_pending_for_user
select id from public.recommendation_refresh_queue
where user_id = %(user_id)s and status = 'pending'
for update;

-- name: merge_into_pending
-- A newer request for the same user is already pending: it covers this one. Carry the attempt count
-- and the backoff over so a job that keeps failing still ends in 'failed'.
update public.recommendation_refresh_queue
set attempts = greatest(attempts, %(attempts)s),
    interruptions = greatest(interruptions, %(interruptions)s),
    last_error = %(error)s,
    run_after = greatest(run_after, now() + make_interval(secs => %(delay_seconds)s))
where id = %(pending_id)s;

-- name: delete_job
delete from public.recommendation_refresh_queue where id = %(job_id)s;

-- name: retry_later
update public.recommendation_refresh_queue
set status = 'pending',
    run_after = now() + make_interval(secs => %(delay_seconds)s),
    locked_by = null,
    locked_until = null,
    last_error = %(error)s
where id = %(job_id)s;

-- name: extend_lease
update public.recommendation_refresh_queue
set locked_until = now() + make_interval(secs => %(lease_seconds)s)
where id = %(job_id)s and locked_by = %(worker_id)s and status = 'running'
returning id;

-- name: queue_stats
select
  count(*) filter (where status = 'pending') as pending,
  count(*) filter (where status = 'pending' and run_after <= now()) as due,
  count(*) filter (where status = 'running' and locked_until >= now()) as running,
  count(*) filter (where status = 'running' and locked_until < now()) as stale,
  count(*) filter (where status = 'failed') as failed,
  extract(epoch from now() - min(created_at) filter (where status = 'pending'))::float8 as oldest_pending_seconds
from public.recommendation_refresh_queue;

-- name: next_due_in
-- Seconds until the next job becomes claimable (0 when one is due now); null when nothing waits.
-- A pending job blocked by a live job of the same user counts from that lease (the finishing
-- worker sends a NOTIFY when it completes, so this is only the safety net). A running job is due
-- when its lease runs out or its worker's heartbeat goes silent, whichever comes first.
select case when next_at is null then null
            else greatest(0, extract(epoch from next_at - now()))::float8 end as seconds
from (
  select min(case when q.status = 'pending' then q.run_after
                  else least(q.locked_until,
                             (select h.last_seen + make_interval(secs => %(dead_after_seconds)s)
                              from public.worker_heartbeat h where h.worker_id = q.locked_by))
             end) as next_at
  from public.recommendation_refresh_queue q
where q.status = 'running'
   or (q.status = 'pending' and not exists (
         select 1 from public.recommendation_refresh_queue r
         where r.user_id = q.user_id and r.id <> q.id and r.status = 'running' and r.locked_until >= now()))
) next_job;

-- name: has_pending
select exists (
  select 1 from public.recommendation_refresh_queue where user_id = %(user_id)s and status = 'pending'
) as pending;

-- name: list_failed
select id, user_id::text as user_id, trigger_type, attempts, last_error, created_at, processed_at
from public.recommendation_refresh_queue
where status = 'failed'
order by processed_at desc nulls last
limit %(limit)s;

-- name: retry_failed
-- Give failed jobs another round; a user who already has a pending job keeps just that one.
with candidates as (
  select distinct on (f.user_id) f.id
  from public.recommendation_refresh_queue f
  where f.status = 'failed'
    and not exists (select 1 from public.recommendation_refresh_queue p
                    where p.user_id = f.user_id and p.status = 'pending')
  order by f.user_id, f.id desc
)
update public.recommendation_refresh_queue q
set status = 'pending', attempts = 0, interruptions = 0, run_after = now(), processed_at = null
from candidates
where q.id = candidates.id
returning q.id;
