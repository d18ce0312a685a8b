-- Imports run in the background: the page stores the uploaded file as a job, the worker parses and
-- resolves it (progress in rows_done / rows_total), the page shows progress and the result.
create table public.import_jobs (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  file_name text not null check (length(file_name) between 1 and 255),
  content bytea check (octet_length(content) between 1 and 32000000),  -- dropped once imported
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  rows_done int not null default 0,
  rows_total int,
  report jsonb,
  error text,
  attempts int not null default 0,
  locked_by text,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index import_jobs_user_id_idx on public.import_jobs (user_id, created_at desc);
create index import_jobs_open_idx on public.import_jobs (created_at) where status in ('queued', 'running');

-- A person submits files and reads their own jobs; status, progress and results are the worker's.
alter table public.import_jobs enable row level security;
revoke all on table public.import_jobs from anon, authenticated;
grant select (id, user_id, file_name, status, rows_done, rows_total, report, error, created_at, finished_at)
  on table public.import_jobs to authenticated;
grant insert (user_id, file_name, content) on table public.import_jobs to authenticated;
create policy "users read their imports" on public.import_jobs
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users submit their imports" on public.import_jobs
  for insert to authenticated with check ((select auth.uid()) = user_id);

-- Wake a listening worker, as a rating does.
create or replace function public.notify_import_job() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform pg_notify('recommendation_refresh', new.user_id::text);
  return new;
end;
$$;
revoke all on function public.notify_import_job() from public, anon, authenticated;
create trigger import_jobs_notify after insert on public.import_jobs
  for each row execute function public.notify_import_job();
