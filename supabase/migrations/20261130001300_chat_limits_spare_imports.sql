-- The chat limits (20261130001000_server_owned) are for messages typed one at a time. An import writes a
-- person's Letterboxd reviews in bulk (and reviews can be long); the import marks its own transaction with
-- `cine.importing = on`, which only code holding a database connection can set (the REST API cannot), and
-- has its own limits on file size and rows.
create or replace function public.check_chat_limits() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  max_chars constant int := 2000;
  per_minute constant int := 30;
  per_day constant int := 500;
  last_minute int;
  last_day int;
begin
  if coalesce(current_setting('cine.importing', true), '') = 'on' then
    return new;
  end if;
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
