-- A worker that dies mid-job is not the job's fault (issue 18). `attempts` keeps counting claims;
-- `interruptions` counts the claims that ended because the worker died (its heartbeat stopped, or its
-- lease ran out), so the job's own failures are `attempts - interruptions`. A job that keeps killing
-- its workers (a poison job) is given up after a separate, larger budget, with an error that says so.
-- Existing rows stay; they start with no interruptions.
alter table public.recommendation_refresh_queue
  add column if not exists interruptions int not null default 0;
