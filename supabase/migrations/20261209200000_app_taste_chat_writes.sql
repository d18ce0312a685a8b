-- The app's last service-rights writes behind security-definer functions (issue 24.9): removing a learned
-- preference and chat's learning (a turn with what CineAI learned, its rewrite on an answer or an undo) write
-- server-owned data (taste_profile, movie_conversations.ai_learned). The app reads what it needs as the person
-- (a user transaction, RLS applies), builds the profile in Python (cine_core.taste.store) and writes through
-- these functions as its own login, cine_app, outside any user transaction. Granted to cine_app and the service
-- role only, never to anon or authenticated (a person through the REST API cannot call them). Each does one
-- thing; its search_path is pinned.
--   store_taste_profile(user, preferences)   the rebuilt profile; the version is the stored one + 1 (so two
--                                            writers never store the same version twice)
--   store_chat_turn(user, film, kind, text, learned)
--                                            a new turn, created now (the chat limits' trigger counts it)
--   rewrite_chat_turn(user, turn, kind, learned)
--                                            a turn's new version: the person's own row is replaced by one with
--                                            its text, film and place (created_at) and the new `learned`; null
--                                            when the turn is not the person's or no longer exists

create function public.store_taste_profile(p_user_id uuid, p_preferences jsonb)
returns table (profile_version int, profile_updated_at timestamptz)
language sql security definer set search_path = '' as $$
  insert into public.taste_profile as t (user_id, preferences, version, updated_at)
  values (p_user_id, coalesce(p_preferences, '{}'::jsonb), 1, now())
  on conflict (user_id) do update
     set preferences = excluded.preferences, version = t.version + 1, updated_at = now()
  returning t.version, t.updated_at;
$$;

create function public.store_chat_turn(p_user_id uuid, p_movie_id bigint, p_kind text, p_text text,
                                       p_learned jsonb)
returns table (turn_id text, turn_created_at timestamptz)
language sql security definer set search_path = '' as $$
  insert into public.movie_conversations (user_id, movie_id, conversation_type, what_you_said, ai_learned)
  values (p_user_id, p_movie_id, p_kind, p_text, coalesce(p_learned, '{}'::jsonb))
  returning id::text, created_at;
$$;

create function public.rewrite_chat_turn(p_user_id uuid, p_turn uuid, p_kind text, p_learned jsonb)
returns table (turn_id text, turn_created_at timestamptz)
language plpgsql security definer set search_path = '' as $$
declare
  old public.movie_conversations%rowtype;
begin
  delete from public.movie_conversations c where c.user_id = p_user_id and c.id = p_turn returning * into old;
  if not found then
    return;
  end if;
  return query
    insert into public.movie_conversations as c (user_id, movie_id, conversation_type, what_you_said, ai_learned,
                                                 created_at)
    values (old.user_id, old.movie_id, p_kind, old.what_you_said, coalesce(p_learned, '{}'::jsonb), old.created_at)
    returning c.id::text, c.created_at;
end
$$;

revoke all on function public.store_taste_profile(uuid, jsonb) from public, anon, authenticated;
revoke all on function public.store_chat_turn(uuid, bigint, text, text, jsonb) from public, anon, authenticated;
revoke all on function public.rewrite_chat_turn(uuid, uuid, text, jsonb) from public, anon, authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array[
    'public.store_taste_profile(uuid, jsonb)', 'public.store_chat_turn(uuid, bigint, text, text, jsonb)',
    'public.rewrite_chat_turn(uuid, uuid, text, jsonb)'] loop
    execute format('grant execute on function %s to cine_app', fn);
    if exists (select 1 from pg_roles where rolname = 'service_role') then
      execute format('grant execute on function %s to service_role', fn);
    end if;
  end loop;
end
$$;
