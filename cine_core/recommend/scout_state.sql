-- Named queries for cine_core.recommend.scout_state (the scout's per-user state and its claim marker).

-- name: ensure_rows
-- Users with at least one rating are scouted; the others see the fallback shelf until they rate.
insert into public.scout_state (user_id)
select u.id from auth.users u
 where exists (select 1 from public.ratings r where r.user_id = u.id)
   and not exists (select 1 from public.scout_state s where s.user_id = u.id)
on conflict (user_id) do nothing;

-- name: db_now
select now() - make_interval(secs => %(seconds)s) as at;

-- name: claim_due
-- Ordered by the indexed column alone (scout_state_last_scout_idx): the scan stops after `limit` rows. A
-- tie-breaker on user_id made every claim sort all due users (112 ms per claim at 100,000 users, 0.15 ms now).
with due as (
  select user_id from public.scout_state
   where last_scout_at is null or last_scout_at < %(due_before)s
   order by last_scout_at nulls first
   limit %(limit)s
   for update skip locked
)
update public.scout_state s set last_scout_at = now()
  from due where s.user_id = due.user_id
returning s.user_id::text as user_id;

-- name: load
select profile_version, candidate_hash, candidate_ids, candidate_sources, matcher, analysed_at, last_scout_at,
       last_error
  from public.scout_state where user_id = %(user_id)s;

-- name: save_analysis
insert into public.scout_state as s (user_id, profile_version, candidate_hash, candidate_ids, candidate_sources,
                                     matcher, analysed_at, last_scout_at, last_error)
values (%(user_id)s, %(profile_version)s, %(candidate_hash)s, %(candidate_ids)s, %(candidate_sources)s,
        %(matcher)s, now(), now(), %(last_error)s)
on conflict (user_id) do update
   set profile_version = excluded.profile_version, candidate_hash = excluded.candidate_hash,
       candidate_ids = excluded.candidate_ids, candidate_sources = excluded.candidate_sources,
       matcher = excluded.matcher, analysed_at = excluded.analysed_at,
       last_scout_at = excluded.last_scout_at, last_error = excluded.last_error;

-- name: save_visit
insert into public.scout_state as s (user_id, last_scout_at, last_error)
values (%(user_id)s, now(), %(last_error)s)
on conflict (user_id) do update set last_scout_at = now(), last_error = excluded.last_error;
