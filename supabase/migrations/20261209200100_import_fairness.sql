-- One person's imports cannot hold up everybody else's (issue 24.1 / 24.2): imports have their own lane in the
-- worker, but within it jobs were claimed oldest first, so one account that queued many 200,000-row files made
-- every later import wait behind all of them (and stored up to 32 MB per file, without limit).
--   check_import_limits()   at most 2 open imports (queued or running) per person, in the database, so the app
--                           and the REST grants meet the same wall (54000, mapped to a clear message)
-- The claim (cine_core/jobs/import_jobs.sql, claim_next) takes turns between people: a person with an import
-- running comes after those without, and among the rest whoever was served longest ago (never first).

create function public.check_import_limits() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  max_open constant int := 2;
  open_jobs int;
begin
  -- one writer per user at a time, so concurrent submissions cannot both slip under the limit
  perform pg_advisory_xact_lock(hashtextextended('cine_import_limit:' || new.user_id::text, 0));
  select count(*) into open_jobs
    from public.import_jobs j
   where j.user_id = new.user_id and j.status in ('queued', 'running');
  if open_jobs >= max_open then
    raise exception 'At most % imports can wait at a time: send the next one when one has finished', max_open
      using errcode = '54000';
  end if;
  return new;
end;
$$;
revoke all on function public.check_import_limits() from public, anon, authenticated;

create trigger import_jobs_limits before insert on public.import_jobs
  for each row execute function public.check_import_limits();

-- The claim's turn-taking reads each candidate's person's latest finished import.
create index import_jobs_user_finished_idx on public.import_jobs (user_id, finished_at desc)
  where finished_at is not null;
