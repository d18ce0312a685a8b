-- Household profiles (issue 25.4): without Supabase Auth the app has one person; a household adds profiles,
-- Netflix-style, each a real auth.users row (its own RLS scope). This table holds each profile's name and,
-- when the app listens beyond localhost, its argon2id password hash. Server-only: the app's service
-- connection lists, creates and checks profiles; no person reads another's name or hash through the API.
create table public.household_profiles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  name text not null constraint household_profiles_name_length check (length(btrim(name)) between 1 and 40),
  password_hash text,  -- argon2id (argon2-cffi's encoded form); null: a localhost-only profile
  created_at timestamptz not null default now()
);
create unique index household_profiles_name_idx on public.household_profiles (lower(btrim(name)));

alter table public.household_profiles enable row level security;
revoke all on table public.household_profiles from anon, authenticated;
