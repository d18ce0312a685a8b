-- Import jobs: submitted in the user's scope, claimed and settled by the worker (service rights).

-- name: submit
insert into public.import_jobs (user_id, file_name, content) values (%(user_id)s, %(file_name)s, %(content)s)
returning id

-- name: latest_for_user
select id, file_name, status, rows_done, rows_total, report, error, created_at, finished_at
from public.import_jobs where user_id = %(user_id)s order by created_at desc, id desc limit 1

-- name: claim_next
-- The next job, taking turns between people (migration 20261209200100): a person with an import running on a live
-- lease comes after those without, then whoever was served longest ago (never served: first), then the oldest
-- job. A running job whose worker stopped renewing its lease is claimable again.
with next_job as (
  select j.id from public.import_jobs j
  where (j.status = 'queued' or (j.status = 'running' and j.locked_until < now()))
    and j.attempts < %(max_attempts)s
  order by exists (select 1 from public.import_jobs r
                    where r.user_id = j.user_id and r.id <> j.id and r.status = 'running' and r.locked_until >= now()),
           (select max(d.finished_at) from public.import_jobs d where d.user_id = j.user_id) nulls first,
           j.created_at, j.id
  limit 1
  for update of j skip locked
)
update public.import_jobs j
set status = 'running', attempts = j.attempts + 1, locked_by = %(worker_id)s,
    locked_until = now() + make_interval(secs => %(lease_seconds)s)
from next_job where j.id = next_job.id
returning j.id, j.user_id::text as user_id, j.file_name, j.content, j.attempts

-- name: progress
update public.import_jobs
set rows_done = %(done)s, rows_total = %(total)s, locked_until = now() + make_interval(secs => %(lease_seconds)s)
where id = %(id)s and locked_by = %(worker_id)s

-- name: finish
update public.import_jobs
set status = %(status)s, report = %(report)s, error = %(error)s, finished_at = now(), locked_until = null,
    content = case when %(status)s = 'done' then null else content end
where id = %(id)s

-- name: give_up_exhausted
-- A job whose worker died max_attempts times ends visibly failed instead of being retried forever.
update public.import_jobs
set status = 'failed', error = 'The import stopped ' || attempts || ' times; please try again', finished_at = now()
where status = 'running' and locked_until < now() and attempts >= %(max_attempts)s

-- name: hand_back
-- A stopping worker gives the job back at a row boundary: queued again, this claim not counted as a death.
update public.import_jobs
set status = 'queued', locked_by = null, locked_until = null, attempts = greatest(attempts - 1, 0)
where id = %(id)s and locked_by = %(worker_id)s and status = 'running'

-- name: any_claimable
-- Cheap check before a worker builds its film source (seconds of catalog loading) for imports.
select exists (
  select 1 from public.import_jobs
  where (status = 'queued' or (status = 'running' and locked_until < now())) and attempts < %(max_attempts)s
) as claimable
