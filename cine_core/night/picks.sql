-- Named queries for cine_core.night.picks. `candidates`, `lock_pair`, `clear`, `insert` and `mark_computed`
-- run on the server's service connection; `joint_picks` in a member's own transaction (RLS).

-- name: candidates
-- Well-known released features neither member excluded, most popular first, plus both members' own picks.
select m.* from public.movies m
 where m.id in ((select c.id from public.movies c
                  where c.vote_count >= %(min_votes)s
                    and c.id not in (select unnest(%(excluded)s::bigint[]))  -- hashed: thousands of ids
                    and (c.release_date is null or c.release_date <= current_date)
                    and (c.runtime is null or c.runtime = 0 or c.runtime >= %(min_runtime)s)
                  order by c.popularity desc nulls last, c.id
                  limit %(limit)s)
                union
                select r.movie_id from public.recommendations r where r.user_id = any(%(members)s::uuid[]))
   and m.id not in (select unnest(%(excluded)s::bigint[]))
 order by m.popularity desc nulls last, m.id;

-- name: started_at
select now() as started_at;

-- name: lock_pair
select id, ended_at from public.movie_night_pairs where id = %(pair_id)s for update;

-- name: clear
delete from public.movie_night_picks where pair_id = %(pair_id)s;

-- name: insert
insert into public.movie_night_picks (pair_id, movie_id, rank, confidence, streamable, inviter_film_id,
  inviter_film_rating, invitee_film_id, invitee_film_rating, computed_at)
values (%(pair_id)s, %(movie_id)s, %(rank)s, %(confidence)s, %(streamable)s, %(inviter_film_id)s,
        %(inviter_film_rating)s, %(invitee_film_id)s, %(invitee_film_rating)s, %(started_at)s);

-- name: mark_computed
-- A film rated while the picks were being computed left stale_since after started_at: it stays stale.
update public.movie_night_pairs
   set picks_computed_at = %(started_at)s,
       stale_since = case when stale_since > %(started_at)s then stale_since end
 where id = %(pair_id)s;

-- name: joint_picks
select m.*, k.rank as joint_rank, k.confidence as joint_confidence, k.streamable as joint_streamable,
       k.inviter_film_rating, fi.title as inviter_film_title,
       k.invitee_film_rating, fe.title as invitee_film_title
  from public.movie_night_picks k
  join public.movies m on m.id = k.movie_id
  left join public.movies fi on fi.id = k.inviter_film_id
  left join public.movies fe on fe.id = k.invitee_film_id
 where k.pair_id = %(pair_id)s
 order by k.rank;
