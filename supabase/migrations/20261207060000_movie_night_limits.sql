-- Movie night hardening (issue 24.7).
--
-- 1. Guessing invite codes: a person's wrong codes are counted in the database; past 10 in an hour, redeeming
--    is refused until the hour has passed (was: no limit, 1,338 guesses a second). A wrong code is recorded and
--    the function returns null instead of raising, so the record survives (an exception would roll it back);
--    cine_core.night.pairs turns the null into the "unknown code" message.
-- 2. One active night per person, by constraint: movie_night_members holds one row per member of an accepted,
--    not ended pair, its primary key the person. A trigger keeps it in step with movie_night_pairs, so two
--    concurrent redemptions that would give someone two nights cannot both commit. movie_night_accept also
--    locks both people (in a fixed order) and checks the inviter, so the usual refusal is a clear sentence.

create table public.movie_night_code_failures (
  user_id uuid not null references auth.users (id) on delete cascade,
  at timestamptz not null default now()
);
create index movie_night_code_failures_user_at_idx on public.movie_night_code_failures (user_id, at);
alter table public.movie_night_code_failures enable row level security;  -- server-owned: no policy, no grant
revoke all on table public.movie_night_code_failures from anon, authenticated;

create table public.movie_night_members (
  user_id uuid primary key references auth.users (id) on delete cascade,  -- one active night per person
  pair_id bigint not null references public.movie_night_pairs (id) on delete cascade
);
alter table public.movie_night_members enable row level security;  -- server-owned: no policy, no grant
revoke all on table public.movie_night_members from anon, authenticated;

-- Existing pairs: the oldest active night of each person stays; a later one sharing a person is ended.
do $$
declare
  pair record;
begin
  for pair in select id, inviter_id, invitee_id from public.movie_night_pairs
               where accepted_at is not null and ended_at is null order by accepted_at, id loop
    if exists (select 1 from public.movie_night_members m where m.user_id in (pair.inviter_id, pair.invitee_id)) then
      update public.movie_night_pairs set ended_at = now() where id = pair.id;
      delete from public.movie_night_picks where pair_id = pair.id;
    else
      insert into public.movie_night_members (user_id, pair_id)
      values (pair.inviter_id, pair.id), (pair.invitee_id, pair.id);
    end if;
  end loop;
end;
$$;

create function public.movie_night_members_sync() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.movie_night_members where pair_id = new.id
     and (new.accepted_at is null or new.ended_at is not null);
  if new.accepted_at is not null and new.ended_at is null
     and not exists (select 1 from public.movie_night_members where pair_id = new.id) then
    insert into public.movie_night_members (user_id, pair_id)
    values (new.inviter_id, new.id), (new.invitee_id, new.id);  -- a unique violation: someone is already in one
  end if;
  return new;
end;
$$;
revoke all on function public.movie_night_members_sync() from public, anon, authenticated;
create trigger movie_night_pairs_members after insert or update of accepted_at, ended_at, invitee_id
  on public.movie_night_pairs for each row execute function public.movie_night_members_sync();

create or replace function public.movie_night_accept(invite_code text, display_name text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := auth.uid();
  name text := btrim(coalesce(display_name, ''));
  wanted text := upper(regexp_replace(coalesce(invite_code, ''), '[^0-9A-Fa-f]', '', 'g'));
  max_failures constant int := 10;
  window_length constant interval := interval '1 hour';
  invite public.movie_night_pairs;
begin
  if me is null then
    raise exception 'movie_night_accept needs a signed-in user' using errcode = '42501';
  end if;
  if length(name) not between 1 and 40 then
    raise exception 'Choose a name of 1 to 40 characters to show your friend';
  end if;
  -- one redemption per person at a time, so parallel guesses cannot all slip under the limit
  perform pg_advisory_xact_lock(hashtextextended('cine_movie_night_codes:' || me::text, 0));
  if (select count(*) from public.movie_night_code_failures f
       where f.user_id = me and f.at > now() - window_length) >= max_failures then
    raise exception 'Too many wrong invite codes: try again in an hour' using errcode = '54000';
  end if;
  select * into invite from public.movie_night_pairs p
   where p.invite_code = wanted and p.accepted_at is null and p.ended_at is null and p.expires_at > now();
  if not found then
    insert into public.movie_night_code_failures (user_id) values (me);
    return null;  -- not raised: the failure must be kept
  end if;
  if invite.inviter_id = me then
    raise exception 'That is your own invite: send the code to the person you want to watch with';
  end if;
  -- Both people, in one fixed order (no deadlock), then the invite row: checks and writes see settled state.
  perform pg_advisory_xact_lock(hashtextextended('cine_movie_night:' || least(me, invite.inviter_id)::text, 0));
  perform pg_advisory_xact_lock(hashtextextended('cine_movie_night:' || greatest(me, invite.inviter_id)::text, 0));
  select * into invite from public.movie_night_pairs p
   where p.id = invite.id and p.accepted_at is null and p.ended_at is null
   for update;
  if not found then
    raise exception 'That invite code is unknown, already used or expired';
  end if;
  if exists (select 1 from public.movie_night_members m where m.user_id = me) then
    raise exception 'You already have a movie night: end it before accepting another';
  end if;
  if exists (select 1 from public.movie_night_members m where m.user_id = invite.inviter_id) then
    raise exception 'That invite is no longer open: the person who sent it already has a movie night';
  end if;
  delete from public.movie_night_pairs where inviter_id = me and accepted_at is null;
  update public.movie_night_pairs
     set invitee_id = me, invitee_name = name, accepted_at = now(), invite_code = null
   where id = invite.id;
  return invite.id;
end;
$$;
revoke all on function public.movie_night_accept(text, text) from public, anon;
grant execute on function public.movie_night_accept(text, text) to authenticated;
