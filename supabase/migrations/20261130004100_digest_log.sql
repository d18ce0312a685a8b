-- The weekly discovery email's sent-log (issue 17): one row per person and ISO week, claimed before sending
-- like a queue job. The primary key makes the claim atomic across restarts and several workers: a second
-- worker's insert waits for the first, then finds the row and sends nothing. Only a send the mail server
-- refused ('failed') is claimed again, a few times; a row left 'sending' by a crash is not (at most once).
create table public.digest_log (
  user_id uuid not null references auth.users (id) on delete cascade,
  iso_week text not null check (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
  status text not null default 'sending' check (status in ('sending', 'sent', 'failed', 'empty')),
  film_ids bigint[] not null default '{}',  -- what the email showed: never the same film twice
  attempts int not null default 1,
  claimed_at timestamptz not null default now(),
  sent_at timestamptz,
  last_error text,
  primary key (user_id, iso_week)
);

-- Server-owned: the worker and the CLI write it with the service connection; nobody reads it through the API.
alter table public.digest_log enable row level security;
revoke all on table public.digest_log from anon, authenticated;
