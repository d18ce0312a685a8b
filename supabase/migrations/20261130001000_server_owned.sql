-- Server-owned data only the server writes (issue 18). Through the grants the Supabase REST API uses
-- (role `authenticated` with the user's JWT claims), a person may read their own rows and write only what a
-- person writes: ratings, watchlist, feedback on picks, chat messages (what they said), settings and import
-- submissions. The taste profile, what CineAI learned from a message, picks, scout state, API usage and the
-- refresh queue are written by the app's and the worker's service connections only, with an explicit
-- user_id filter. tests/cine_core/db/test_privileges.py enumerates every table and function of `public`.

-- Picks: read your own and give feedback on them (feedback, feedback_at); never insert, delete or re-score.
revoke all on table public.recommendations from authenticated;
grant select on table public.recommendations to authenticated;
grant update (feedback, feedback_at) on table public.recommendations to authenticated;
drop policy if exists "users delete their picks" on public.recommendations;

-- Chat: a person writes what they said; `ai_learned` (what the extractor made of it) is the server's, since
-- it reaches the taste profile and the Claude prompt. Users may still delete their own conversations.
revoke all on table public.movie_conversations from authenticated;
grant select, delete on table public.movie_conversations to authenticated;
grant insert (user_id, movie_id, conversation_type, what_you_said) on table public.movie_conversations to authenticated;

-- The taste profile (preferences, version) is rebuilt by the server only; users read it.
revoke all on table public.taste_profile from authenticated;
grant select on table public.taste_profile to authenticated;
drop policy if exists "users create their profile" on public.taste_profile;
drop policy if exists "users edit their profile" on public.taste_profile;

-- Scout state: users read when they were last scouted, never the worker's error texts or candidate sets.
revoke all on table public.scout_state from authenticated;
grant select (user_id, profile_version, matcher, analysed_at, last_scout_at) on table public.scout_state
  to authenticated;

-- Limits on what one person writes, enforced here so that the app and the REST API meet the same wall.
-- The error code 54000 (program_limit_exceeded) is mapped to a clear DataError by cine_core.db.
create function public.check_chat_limits() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  max_chars constant int := 2000;
  per_minute constant int := 30;
  per_day constant int := 500;
  last_minute int;
  last_day int;
begin
  if length(new.what_you_said) > max_chars then
    raise exception 'A chat message can be at most % characters (this one has %)', max_chars,
      length(new.what_you_said) using errcode = '54000';
  end if;
  -- one writer per user at a time, so concurrent inserts cannot both slip under the limit
  perform pg_advisory_xact_lock(hashtextextended('cine_chat_limit:' || new.user_id::text, 0));
  select count(*) filter (where c.created_at > now() - interval '1 minute'), count(*)
    into last_minute, last_day
    from public.movie_conversations c
   where c.user_id = new.user_id and c.created_at > now() - interval '1 day';
  if last_minute >= per_minute then
    raise exception 'Too many chat messages: at most % a minute. Wait a moment and try again', per_minute
      using errcode = '54000';
  end if;
  if last_day >= per_day then
    raise exception 'Too many chat messages today: at most % a day', per_day using errcode = '54000';
  end if;
  return new;
end;
$$;
revoke all on function public.check_chat_limits() from public, anon, authenticated;
create trigger movie_conversations_limits before insert on public.movie_conversations
  for each row execute function public.check_chat_limits();

-- Functions are executable by PUBLIC unless revoked: be explicit about every one of ours.
revoke all on function public.enqueue_refresh_on_rating() from public, anon, authenticated;
revoke all on function public.notify_import_job() from public, anon, authenticated;
revoke all on function public.request_refresh(text) from public, anon;
revoke all on function public.my_refresh_state(uuid) from public, anon;
