-- A person's settings (issue 17): their region and streaming services (where to watch, "only what I can
-- stream", the worker's nudge towards streamable picks) and the weekly discovery email opt-in.
-- Owner-only: a person reads and writes their own row; the worker and the digest read with the service role.
create table public.user_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  region text check (region ~ '^[A-Z]{2}$'),
  streaming_services text[] not null default '{}',
  weekly_digest boolean not null default false,
  digest_email text check (digest_email is null or digest_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  digest_day smallint check (digest_day between 0 and 6),  -- 0 = Monday; null: the server's default
  digest_hour smallint check (digest_hour between 0 and 23),  -- UTC; null: the server's default
  updated_at timestamptz not null default now()
);

alter table public.user_settings enable row level security;
revoke all on table public.user_settings from anon, authenticated;
grant select, insert, update, delete on table public.user_settings to authenticated;
create policy "users read their settings" on public.user_settings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users create their settings" on public.user_settings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users change their settings" on public.user_settings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users delete their settings" on public.user_settings
  for delete to authenticated using ((select auth.uid()) = user_id);
