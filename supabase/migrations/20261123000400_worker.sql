-- Worker state. Needs 20261123000000_core_schema.

-- What the scout last analysed for each user: when neither the profile version nor the candidate
-- set changed, the stored picks are reused and no LLM call is made. `candidate_ids` /
-- `candidate_sources` (parallel arrays) are the last candidate set, re-scored by a quick refresh.
-- `last_scout_at` doubles as the claim marker that spreads the scheduled scout over several workers.
create table public.scout_state (
  user_id uuid primary key references auth.users (id) on delete cascade,
  profile_version int,
  candidate_hash text,
  candidate_ids bigint[] not null default '{}',
  candidate_sources text[] not null default '{}',
  matcher text,
  analysed_at timestamptz,
  last_scout_at timestamptz,
  last_error text,
  constraint scout_state_candidates_parallel
    check (cardinality(candidate_ids) = cardinality(candidate_sources))
);
create index scout_state_last_scout_idx on public.scout_state (last_scout_at nulls first);

alter table public.scout_state enable row level security;
revoke all on table public.scout_state from anon, authenticated;
grant select on table public.scout_state to authenticated;
create policy "users read their scout state" on public.scout_state
  for select to authenticated using ((select auth.uid()) = user_id);

-- Failed jobs are listed on the Status page, newest first.
create index refresh_queue_failed_idx on public.recommendation_refresh_queue (processed_at desc)
  where status = 'failed';
