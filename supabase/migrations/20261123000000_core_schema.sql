-- CineAI core schema. Applies unchanged to a hosted Supabase project (`supabase db push`) and to a
-- plain/embedded Postgres after cine_core's local bootstrap has created what Supabase provides
-- (schema auth, auth.users, auth.uid(), roles anon/authenticated/service_role).

-- Films: shared by every user; one row per TMDB id, refreshed when older than the cache TTL.
create table public.movies (
  id bigint primary key,
  title text not null,
  year int,
  release_date date,
  overview text not null default '',
  genres text[] not null default '{}',
  keywords text[] not null default '{}',
  directors text[] not null default '{}',
  top_cast text[] not null default '{}',
  runtime int,
  original_language text,
  popularity double precision not null default 0,
  vote_average double precision,
  vote_count int not null default 0,
  poster_path text,
  imdb_id text,
  watch_providers jsonb,
  web_enrichment jsonb,
  fetched_at timestamptz not null default now(),
  source text not null default 'catalog' check (source in ('tmdb', 'catalog')),
  title_search text generated always as (lower(title)) stored
);
create index movies_popularity_idx on public.movies (popularity desc);
create index movies_title_search_idx on public.movies (title_search text_pattern_ops);
create index movies_imdb_idx on public.movies (imdb_id) where imdb_id is not null;

alter table public.movies enable row level security;
revoke all on table public.movies from anon, authenticated;
grant select on table public.movies to anon, authenticated;
create policy "films are readable by everyone" on public.movies
  for select to anon, authenticated using (true);

-- Ratings: 0.5–5.0 in half steps, one per user and film.
create table public.ratings (
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  rating numeric not null
    constraint ratings_rating_half_steps check (rating between 0.5 and 5.0 and rating * 2 = trunc(rating * 2)),
  rated_at timestamptz not null default now(),
  source text not null default 'app'
    check (source in ('app', 'feedback', 'letterboxd', 'imdb', 'trakt')),
  primary key (user_id, movie_id)
);
create index ratings_user_id_idx on public.ratings (user_id, rated_at desc);
create index ratings_movie_id_idx on public.ratings (movie_id);

alter table public.ratings enable row level security;
revoke all on table public.ratings from anon, authenticated;
grant select, insert, update, delete on table public.ratings to authenticated;
create policy "users read their ratings" on public.ratings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users add their ratings" on public.ratings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users change their ratings" on public.ratings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users delete their ratings" on public.ratings
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Picks the worker prepared. Feedback marks the ones the user acted on (kept across refreshes).
create table public.recommendations (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  score double precision,
  reason text not null default '',
  discovery_source text not null
    check (discovery_source in ('trending', 'similar_to_rated', 'mood_match', 'popular_fallback')),
  confidence numeric(3, 2) not null
    constraint recommendations_confidence_range check (confidence between 0 and 1),
  below_threshold boolean not null default false,
  matcher text,
  generated_at timestamptz not null default now(),
  feedback text check (feedback in ('up', 'down', 'not_interested')),
  feedback_at timestamptz,
  unique (user_id, movie_id)
);
-- "Top 12 by confidence for a user" is an index range scan.
create index recommendations_user_top_idx on public.recommendations (user_id, confidence desc, movie_id);

alter table public.recommendations enable row level security;
revoke all on table public.recommendations from anon, authenticated;
grant select, delete on table public.recommendations to authenticated;
grant update (feedback, feedback_at) on table public.recommendations to authenticated;
create policy "users read their picks" on public.recommendations
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users give feedback on their picks" on public.recommendations
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users delete their picks" on public.recommendations
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Chat: what the user said and what CineAI learned from it.
create table public.movie_conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint references public.movies (id),
  conversation_type text not null
    check (conversation_type in ('loved_it', 'hated_it', 'want_more_like_this', 'mood_request', 'general_preference')),
  what_you_said text not null,
  ai_learned jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index movie_conversations_user_id_idx on public.movie_conversations (user_id, created_at desc);

alter table public.movie_conversations enable row level security;
revoke all on table public.movie_conversations from anon, authenticated;
grant select, insert, delete on table public.movie_conversations to authenticated;
create policy "users read their conversations" on public.movie_conversations
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users add their conversations" on public.movie_conversations
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users delete their conversations" on public.movie_conversations
  for delete to authenticated using ((select auth.uid()) = user_id);

-- The learned taste, versioned so the worker can tell when it changed.
create table public.taste_profile (
  user_id uuid primary key references auth.users (id) on delete cascade,
  preferences jsonb not null default '{}',
  version int not null default 0,
  updated_at timestamptz not null default now()
);

alter table public.taste_profile enable row level security;
revoke all on table public.taste_profile from anon, authenticated;
grant select, insert, update on table public.taste_profile to authenticated;
create policy "users read their profile" on public.taste_profile
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users create their profile" on public.taste_profile
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users edit their profile" on public.taste_profile
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);

create table public.watchlist (
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  added_at timestamptz not null default now(),
  watched_at timestamptz,
  primary key (user_id, movie_id)
);
create index watchlist_user_id_idx on public.watchlist (user_id, added_at desc);

alter table public.watchlist enable row level security;
revoke all on table public.watchlist from anon, authenticated;
grant select, insert, update, delete on table public.watchlist to authenticated;
create policy "users read their watchlist" on public.watchlist
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users add to their watchlist" on public.watchlist
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users change their watchlist" on public.watchlist
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users remove from their watchlist" on public.watchlist
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Refresh queue: one pending row per user coalesces bursts; a lease (locked_until) lets another
-- worker take over a job whose worker died; failed jobs stay visible with their last error.
create table public.recommendation_refresh_queue (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  trigger_type text not null
    check (trigger_type in ('new_rating', 'chat', 'feedback', 'manual', 'import', 'scheduled')),
  status text not null default 'pending' check (status in ('pending', 'running', 'failed')),
  created_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts int not null default 0,
  max_attempts int not null default 5,
  run_after timestamptz not null default now(),
  locked_by text,
  locked_until timestamptz,
  last_error text
);
create unique index refresh_queue_one_pending_per_user on public.recommendation_refresh_queue (user_id)
  where status = 'pending';
create index refresh_queue_user_id_idx on public.recommendation_refresh_queue (user_id);
create index refresh_queue_claimable_idx on public.recommendation_refresh_queue (run_after)
  where status in ('pending', 'running');

alter table public.recommendation_refresh_queue enable row level security;
revoke all on table public.recommendation_refresh_queue from anon, authenticated;

-- Enqueue a refresh whenever a rating changes; NOTIFY wakes a listening worker at once.
-- security definer: users may write ratings but have no rights on the queue itself.
create function public.enqueue_refresh_on_rating() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.recommendation_refresh_queue (user_id, trigger_type)
  values (new.user_id, 'new_rating')
  on conflict (user_id) where status = 'pending' do nothing;
  perform pg_notify('recommendation_refresh', new.user_id::text);
  return null;
end;
$$;
revoke all on function public.enqueue_refresh_on_rating() from public, anon, authenticated;

create trigger ratings_enqueue_refresh
  after insert or update on public.ratings
  for each row execute function public.enqueue_refresh_on_rating();

-- Lets a signed-in user ask for a refresh of their own picks (feedback, chat, refresh button)
-- without any rights on the queue table.
create function public.request_refresh(p_trigger_type text) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  created boolean;
begin
  if uid is null then
    raise exception 'request_refresh needs a signed-in user' using errcode = '42501';
  end if;
  insert into public.recommendation_refresh_queue (user_id, trigger_type)
  values (uid, p_trigger_type)
  on conflict (user_id) where status = 'pending' do nothing
  returning true into created;
  perform pg_notify('recommendation_refresh', uid::text);
  return coalesce(created, false);
end;
$$;
revoke all on function public.request_refresh(text) from public, anon;
grant execute on function public.request_refresh(text) to authenticated;

-- Cost accounting: every TMDB, LLM and web call.
create table public.api_usage (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  service text not null check (service in ('tmdb', 'anthropic', 'wikipedia')),
  operation text not null,
  model text,
  user_id uuid references auth.users (id) on delete set null,
  tokens_in int not null default 0,
  tokens_out int not null default 0,
  cache_read_tokens int not null default 0,
  cache_write_tokens int not null default 0,
  estimated_cost_usd numeric(12, 6) not null default 0,
  ok boolean not null default true,
  error text
);
create index api_usage_at_idx on public.api_usage (at desc);
create index api_usage_user_id_idx on public.api_usage (user_id);

alter table public.api_usage enable row level security;
revoke all on table public.api_usage from anon, authenticated;

-- Worker heartbeats let the app show whether a worker is alive.
create table public.worker_heartbeat (
  worker_id text primary key,
  hostname text,
  pid int,
  started_at timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  last_scout_at timestamptz,
  jobs_done bigint not null default 0,
  jobs_failed bigint not null default 0
);
alter table public.worker_heartbeat enable row level security;
revoke all on table public.worker_heartbeat from anon, authenticated;

-- Shared cache of list endpoints (trending per window, similar/recommendations per film).
create table public.source_cache (
  cache_key text primary key,
  movie_ids bigint[] not null,
  fetched_at timestamptz not null default now()
);
alter table public.source_cache enable row level security;
revoke all on table public.source_cache from anon, authenticated;
