-- Named queries for cine_core.night.pairs, run in the member's own transaction (RLS: their pairs only).

-- name: create_invite
select public.movie_night_invite(%(name)s) as code;

-- name: accept_invite
select public.movie_night_accept(%(code)s, %(name)s) as pair_id;

-- name: end_pair
select public.movie_night_end(%(pair_id)s) as ended;

-- name: current_pair
-- The member's newest pair or open invite; an ended pair only for a day (so the other sees it ended).
select id, inviter_id::text as inviter_id, inviter_name, invite_code, expires_at, invitee_id::text as invitee_id,
       invitee_name, accepted_at, ended_at, picks_computed_at, stale_since
  from public.movie_night_pairs
 where %(user_id)s in (inviter_id, invitee_id)
   and (ended_at is null or ended_at > now() - interval '1 day')
   and (accepted_at is not null or expires_at > now())
 order by ended_at is null desc, created_at desc
 limit 1;

-- name: pair_by_id
select id, inviter_id::text as inviter_id, inviter_name, invite_code, expires_at, invitee_id::text as invitee_id,
       invitee_name, accepted_at, ended_at, picks_computed_at, stale_since
  from public.movie_night_pairs
 where id = %(pair_id)s;
