-- Movie night for two (issue 17). One person creates an invite (a random code, 7 days), another signed-in
-- person redeems it, and the pair gets joint picks: films neither has rated, watched or turned down, ranked by
-- the weaker of the two predictions, each with one line of reason per person. Either member ends it.
--
-- Privacy: a member reads their pairs and those pairs' joint picks, nothing else of the partner (ratings,
-- chat, profile stay owner-only). Nobody writes either table through the API: invites, redemption and ending
-- go through the security-definer functions below; the joint picks are computed and written by the server
-- (cine_core.night over a service connection).

create table public.movie_night_pairs (
  id bigint generated always as identity primary key,
  inviter_id uuid not null references auth.users (id) on delete cascade,
  inviter_name text not null check (length(btrim(inviter_name)) between 1 and 40),
  invite_code text unique check (invite_code ~ '^[0-9A-F]{12}$'),  -- null once redeemed or ended
  expires_at timestamptz not null,
  invitee_id uuid references auth.users (id) on delete cascade,
  invitee_name text check (invitee_name is null or length(btrim(invitee_name)) between 1 and 40),
  accepted_at timestamptz,
  ended_at timestamptz,
  picks_computed_at timestamptz,
  stale_since timestamptz,  -- a member rated, watched or turned down a film since the picks were computed
  created_at timestamptz not null default now(),
  check (invitee_id is null or invitee_id <> inviter_id),
  check ((invitee_id is null) = (accepted_at is null))
);
create index movie_night_pairs_inviter_idx on public.movie_night_pairs (inviter_id) where ended_at is null;
create index movie_night_pairs_invitee_idx on public.movie_night_pairs (invitee_id) where ended_at is null;

create table public.movie_night_picks (
  pair_id bigint not null references public.movie_night_pairs (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  rank smallint not null,
  confidence real not null check (confidence >= 0 and confidence <= 1),  -- the weaker of the two
  streamable smallint not null default 0 check (streamable between 0 and 2),  -- members who can stream it
  inviter_film_id bigint references public.movies (id),  -- the inviter's own film behind their reason
  inviter_film_rating numeric,
  invitee_film_id bigint references public.movies (id),
  invitee_film_rating numeric,
  computed_at timestamptz not null default now(),
  primary key (pair_id, movie_id)
);

alter table public.movie_night_pairs enable row level security;
alter table public.movie_night_picks enable row level security;
revoke all on table public.movie_night_pairs from anon, authenticated;
revoke all on table public.movie_night_picks from anon, authenticated;
grant select on table public.movie_night_pairs to authenticated;
grant select on table public.movie_night_picks to authenticated;
create policy "members read their pairs" on public.movie_night_pairs
  for select to authenticated using ((select auth.uid()) in (inviter_id, invitee_id));
create policy "members read their joint picks" on public.movie_night_picks
  for select to authenticated using (exists (
    select 1 from public.movie_night_pairs p
     where p.id = pair_id and p.ended_at is null and (select auth.uid()) in (p.inviter_id, p.invitee_id)));

create function public.movie_night_invite(display_name text) returns text
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := auth.uid();
  name text := btrim(coalesce(display_name, ''));
  code text := upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12));  -- 48 random bits
begin
  if me is null then
    raise exception 'movie_night_invite needs a signed-in user' using errcode = '42501';
  end if;
  if length(name) not between 1 and 40 then
    raise exception 'Choose a name of 1 to 40 characters to show your friend';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('cine_movie_night:' || me::text, 0));
  if exists (select 1 from public.movie_night_pairs p where me in (p.inviter_id, p.invitee_id)
                and p.accepted_at is not null and p.ended_at is null) then
    raise exception 'You already have a movie night: end it before inviting someone else';
  end if;
  delete from public.movie_night_pairs where inviter_id = me and accepted_at is null;  -- one open invite
  insert into public.movie_night_pairs (inviter_id, inviter_name, invite_code, expires_at)
  values (me, name, code, now() + interval '7 days');
  return code;
end;
$$;

create function public.movie_night_accept(invite_code text, display_name text) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := auth.uid();
  name text := btrim(coalesce(display_name, ''));
  wanted text := upper(regexp_replace(coalesce(invite_code, ''), '[^0-9A-Fa-f]', '', 'g'));
  invite public.movie_night_pairs;
begin
  if me is null then
    raise exception 'movie_night_accept needs a signed-in user' using errcode = '42501';
  end if;
  if length(name) not between 1 and 40 then
    raise exception 'Choose a name of 1 to 40 characters to show your friend';
  end if;
  select * into invite from public.movie_night_pairs p
   where p.invite_code = wanted and p.accepted_at is null and p.ended_at is null and p.expires_at > now()
   for update;
  if not found then
    raise exception 'That invite code is unknown, already used or expired';
  end if;
  if invite.inviter_id = me then
    raise exception 'That is your own invite: send the code to the person you want to watch with';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('cine_movie_night:' || me::text, 0));
  if exists (select 1 from public.movie_night_pairs p where me in (p.inviter_id, p.invitee_id)
                and p.accepted_at is not null and p.ended_at is null) then
    raise exception 'You already have a movie night: end it before accepting another';
  end if;
  delete from public.movie_night_pairs where inviter_id = me and accepted_at is null;
  update public.movie_night_pairs
     set invitee_id = me, invitee_name = name, accepted_at = now(), invite_code = null
   where id = invite.id;
  return invite.id;
end;
$$;

-- Either member ends it: an open invite disappears, a pair keeps its row (the other sees it ended) without picks.
create function public.movie_night_end(pair bigint) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  me uuid := auth.uid();
begin
  if me is null then
    raise exception 'movie_night_end needs a signed-in user' using errcode = '42501';
  end if;
  delete from public.movie_night_pairs where id = pair and inviter_id = me and accepted_at is null;
  if found then
    return true;
  end if;
  update public.movie_night_pairs set ended_at = now()
   where id = pair and me in (inviter_id, invitee_id) and ended_at is null;
  if not found then
    return false;
  end if;
  delete from public.movie_night_picks where pair_id = pair;
  return true;
end;
$$;

-- A film a member just rated, watched or turned down leaves the pair's list at once; the rest is recomputed
-- the next time either opens the page (stale_since).
create function public.movie_night_forget_seen() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'watchlist' then
    if new.watched_at is null then
      return new;
    end if;
  elsif tg_table_name = 'film_feedback' then
    if new.kind not in ('down', 'not_interested', 'seen') then
      return new;
    end if;
  end if;
  delete from public.movie_night_picks k using public.movie_night_pairs p
   where k.pair_id = p.id and k.movie_id = new.movie_id and p.ended_at is null
     and new.user_id in (p.inviter_id, p.invitee_id);
  update public.movie_night_pairs p set stale_since = coalesce(p.stale_since, now())
   where p.accepted_at is not null and p.ended_at is null and new.user_id in (p.inviter_id, p.invitee_id);
  return new;
end;
$$;
create trigger ratings_movie_night after insert or update on public.ratings
  for each row execute function public.movie_night_forget_seen();
create trigger watchlist_movie_night after insert or update of watched_at on public.watchlist
  for each row execute function public.movie_night_forget_seen();
create trigger film_feedback_movie_night after insert or update on public.film_feedback
  for each row execute function public.movie_night_forget_seen();

revoke all on function public.movie_night_invite(text) from public, anon;
revoke all on function public.movie_night_accept(text, text) from public, anon;
revoke all on function public.movie_night_end(bigint) from public, anon;
grant execute on function public.movie_night_invite(text) to authenticated;
grant execute on function public.movie_night_accept(text, text) to authenticated;
grant execute on function public.movie_night_end(bigint) to authenticated;
revoke all on function public.movie_night_forget_seen() from public, anon, authenticated;
