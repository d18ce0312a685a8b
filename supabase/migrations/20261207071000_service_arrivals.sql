-- "Now on your services" (issue 25.2). The worker re-checks where to watch for each person's watchlist and top
-- picks (one TMDB request per film covers every region); film_provider_checks says when each film and region
-- was last checked (server-only). service_arrivals keeps, per person and film, on which of their services it
-- streamed at the last check; arrived_at is set once, when a film absent from their services arrives on one:
-- never twice for one film. The dashboard notice, the weekly email's line and the push read it.
create table public.film_provider_checks (
  movie_id bigint not null references public.movies (id) on delete cascade,
  region text not null check (region ~ '^[A-Z]{2}$'),
  checked_at timestamptz not null default now(),
  primary key (movie_id, region)
);
alter table public.film_provider_checks enable row level security;
revoke all on table public.film_provider_checks from anon, authenticated;

create table public.service_arrivals (
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  region text not null check (region ~ '^[A-Z]{2}$'),
  services text[] not null default '{}',  -- the person's services it streams on, at the last check
  checked_at timestamptz not null default now(),
  arrived_at timestamptz,  -- set once: the check that first found it on their services after it was not
  noticed_at timestamptz,  -- the dashboard notice was dismissed
  pushed_at timestamptz,  -- sent through the person's notification URL (Apprise)
  emailed_at timestamptz,  -- told in the weekly email
  primary key (user_id, movie_id)
);
create index service_arrivals_new_idx on public.service_arrivals (user_id, arrived_at desc) where arrived_at is not null;

alter table public.service_arrivals enable row level security;
revoke all on table public.service_arrivals from anon, authenticated;
grant select on table public.service_arrivals to authenticated;
grant update (noticed_at) on table public.service_arrivals to authenticated;
create policy "users read their arrivals" on public.service_arrivals
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users dismiss their arrivals" on public.service_arrivals
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);

-- Where the person wants pushes (an Apprise URL: ntfy://, discord://, tgram://, mailto://, json://…). Theirs
-- alone, like the rest of their settings row (the table-wide grants of user_settings cover the new column).
alter table public.user_settings add column notify_url text
  constraint user_settings_notify_url_length check (notify_url is null or length(notify_url) <= 2000);
