-- Scheduled Claude work through the Message Batches API (issue 15; cine_core/llm/batch_store.py).
-- A scheduled scout pass queues one request per person (llm_batch_requests, batch_id null), submits them as
-- one batch at the end of the pass (llm_batches) and the worker's poll applies the results when the batch
-- has ended. Requests that errored, expired or were canceled leave the person's local picks as they are.
create table public.llm_batches (
  id text primary key,                      -- the API's batch id (msgbatch_...)
  operation text not null,
  status text not null default 'in_progress' check (status in ('in_progress', 'canceling', 'ended')),
  custom_ids text[] not null,
  user_ids uuid[] not null,
  request_counts jsonb,                     -- succeeded / errored / expired / canceled, once ended
  submitted_at timestamptz not null default now(),
  ended_at timestamptz,
  applied_at timestamptz,                   -- results read and applied: the batch is closed
  last_error text
);
create index llm_batches_open on public.llm_batches (submitted_at) where applied_at is null;

create table public.llm_batch_requests (
  custom_id text primary key check (custom_id ~ '^[a-zA-Z0-9_-]{1,64}$'),
  batch_id text references public.llm_batches (id) on delete cascade,  -- null: waiting for the pass's batch
  user_id uuid not null references auth.users (id) on delete cascade,
  operation text not null,
  params jsonb,                             -- the Messages API request; cleared once submitted
  context jsonb not null default '{}',      -- what applying the result needs (fingerprint, films asked, evidence)
  queued_at timestamptz not null default now()
);
create index llm_batch_requests_pending on public.llm_batch_requests (queued_at) where batch_id is null;
create index llm_batch_requests_user on public.llm_batch_requests (user_id);
create index llm_batch_requests_batch on public.llm_batch_requests (batch_id);

-- Server-owned: only the worker (service connection) reads and writes them; nobody reads them through the API.
alter table public.llm_batches enable row level security;
alter table public.llm_batch_requests enable row level security;
revoke all on table public.llm_batches from anon, authenticated;
revoke all on table public.llm_batch_requests from anon, authenticated;
