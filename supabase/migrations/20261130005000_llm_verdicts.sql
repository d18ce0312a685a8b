-- Claude's verdicts, paid for once (issue 15): one row per person, film and taste fingerprint
-- (cine_core/recommend/verdicts.py says what the fingerprint covers). The scout sends Claude only the
-- shortlisted films without a row for the person's current fingerprint and reuses the rest.
-- confidence/reason null: Claude was asked and gave no usable verdict (the local score stands; not re-asked).
create table public.llm_verdicts (
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null,
  fingerprint text not null,
  confidence real check (confidence is null or (confidence >= 0 and confidence <= 1)),
  reason text,
  model text,
  created_at timestamptz not null default now(),
  primary key (user_id, fingerprint, movie_id)
);

-- Server-owned: only the worker (service connection) reads and writes it; nobody reads it through the API.
alter table public.llm_verdicts enable row level security;
revoke all on table public.llm_verdicts from anon, authenticated;
