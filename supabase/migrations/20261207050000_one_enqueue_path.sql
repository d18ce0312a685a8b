-- One enqueue path (issue 26.2) and manual refreshes limited in the database (issue 24.1).
--
-- public.enqueue_refresh is the only code that inserts into the refresh queue: the ratings trigger, the
-- app (through request_refresh) and the worker (defer, Message Batches) all call it. Its one rule for what
-- a new request does to the user's queued job: the queued job absorbs it. The film it names replaces the
-- queued one (a request without a film keeps it), 'manual' upgrades the trigger (the person waits for a new
-- set), and the job becomes due at the earlier of the two times.
--
-- public.request_refresh is the caller-facing wrapper: a signed-in user asks for their own picks only; a
-- caller without a JWT may name any user only if its login could call enqueue_refresh itself (the worker's
-- service login). A manual request that a queued manual job already covers is free; any other is counted
-- and limited (at most 2 a minute and 20 an hour per person), as chat messages are.

alter table public.recommendation_refresh_queue
  add column if not exists deferrals int not null default 0;  -- lock waits that gave up (user_lock)

create table if not exists public.manual_refresh_requests (
  user_id uuid not null references auth.users (id) on delete cascade,
  requested_at timestamptz not null default now()
);
create index if not exists manual_refresh_requests_user_idx on public.manual_refresh_requests (user_id, requested_at);
alter table public.manual_refresh_requests enable row level security;
revoke all on table public.manual_refresh_requests from anon, authenticated;

create or replace function public.enqueue_refresh(p_user_id uuid, p_trigger_type text, p_movie_id bigint default null,
                                                  p_delay_seconds float8 default 0) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  created boolean;
begin
  insert into public.recommendation_refresh_queue as q (user_id, trigger_type, movie_id, run_after)
  values (p_user_id, p_trigger_type, p_movie_id, now() + make_interval(secs => greatest(p_delay_seconds, 0)))
  on conflict (user_id) where status = 'pending' do update
    set movie_id = coalesce(excluded.movie_id, q.movie_id),
        trigger_type = case when excluded.trigger_type = 'manual' then 'manual' else q.trigger_type end,
        run_after = least(q.run_after, excluded.run_after)
  returning (q.xmax = 0) into created;
  perform pg_notify('recommendation_refresh', p_user_id::text);
  return created;
end;
$$;
revoke all on function public.enqueue_refresh(uuid, text, bigint, float8) from public, anon, authenticated;

create or replace function public.enqueue_refresh_on_rating() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.enqueue_refresh(new.user_id, 'new_rating', new.movie_id);
  return null;
end;
$$;
revoke all on function public.enqueue_refresh_on_rating() from public, anon, authenticated;

create or replace function public.request_refresh(p_user_id uuid, p_trigger_type text, p_movie_id bigint default null)
  returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  per_minute constant int := 2;
  per_hour constant int := 20;
  uid uuid := auth.uid();
  last_minute int;
  last_hour int;
begin
  if p_user_id is null then
    raise exception 'request_refresh needs a user' using errcode = '22004';
  end if;
  if uid is null and not has_function_privilege(session_user, 'public.enqueue_refresh(uuid, text, bigint, float8)',
                                                'execute') then
    raise exception 'request_refresh needs a signed-in user' using errcode = '42501';
  end if;
  if uid is not null and uid <> p_user_id then
    raise exception 'request_refresh: a person can only ask for their own picks' using errcode = '42501';
  end if;
  if p_trigger_type = 'manual' then
    -- one writer per user at a time, so concurrent requests cannot both slip under the limit
    perform pg_advisory_xact_lock(hashtextextended('cine_manual_refresh:' || p_user_id::text, 0));
    if exists (select 1 from public.recommendation_refresh_queue
               where user_id = p_user_id and status = 'pending' and trigger_type = 'manual') then
      perform pg_notify('recommendation_refresh', p_user_id::text);
      return false;  -- the queued manual job already covers it: free
    end if;
    select count(*) filter (where r.requested_at > now() - interval '1 minute'), count(*)
      into last_minute, last_hour
      from public.manual_refresh_requests r
     where r.user_id = p_user_id and r.requested_at > now() - interval '1 hour';
    if last_minute >= per_minute then
      raise exception 'Too many refresh requests: at most % a minute. Your new picks are on their way', per_minute
        using errcode = '54000';
    end if;
    if last_hour >= per_hour then
      raise exception 'Too many refresh requests: at most % an hour', per_hour using errcode = '54000';
    end if;
    delete from public.manual_refresh_requests
     where user_id = p_user_id and requested_at <= now() - interval '1 hour';
    insert into public.manual_refresh_requests (user_id) values (p_user_id);
  end if;
  return public.enqueue_refresh(p_user_id, p_trigger_type, p_movie_id);
end;
$$;
revoke all on function public.request_refresh(uuid, text, bigint) from public, anon;
grant execute on function public.request_refresh(uuid, text, bigint) to authenticated;

-- The REST-facing form a signed-in person calls for their own picks (kept: clients call it by this name).
create or replace function public.request_refresh(p_trigger_type text) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if auth.uid() is null then
    raise exception 'request_refresh needs a signed-in user' using errcode = '42501';
  end if;
  return public.request_refresh(auth.uid(), p_trigger_type);
end;
$$;
revoke all on function public.request_refresh(text) from public, anon;
grant execute on function public.request_refresh(text) to authenticated;
