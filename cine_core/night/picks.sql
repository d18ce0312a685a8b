-- Named queries for cine_core.night.picks. `inputs` and `store` call the security-definer functions of
-- migration 20261210200100 in a transaction carrying a member's claims; `candidates` reads films as anyone
-- signed in does; `joint_picks` runs in a member's own transaction (RLS).

-- name: inputs
select public.night_pair_inputs(%(pair_id)s) as inputs;

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
                select unnest(%(own_picks)s::bigint[]))
   and m.id not in (select unnest(%(excluded)s::bigint[]))
 order by m.popularity desc nulls last, m.id;

-- name: store
select public.store_night_picks(%(pair_id)s, %(started)s, %(picks)s) as stored;

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
