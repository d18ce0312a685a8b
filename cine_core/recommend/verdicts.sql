-- Named queries for cine_core.recommend.verdicts (Claude's stored verdicts, server-owned).

-- name: load
select movie_id, confidence, reason
  from public.llm_verdicts
 where user_id = %(user_id)s and fingerprint = %(fingerprint)s and movie_id = any(%(movie_ids)s)
   and created_at > now() - make_interval(days => %(max_age_days)s);

-- name: forget_other_fingerprints
-- Verdicts of an older taste are never read again: one person keeps one fingerprint's rows.
delete from public.llm_verdicts where user_id = %(user_id)s and fingerprint <> %(fingerprint)s;

-- name: save
insert into public.llm_verdicts as v (user_id, movie_id, fingerprint, confidence, reason, model)
values (%(user_id)s, %(movie_id)s, %(fingerprint)s, %(confidence)s, %(reason)s, %(model)s)
on conflict (user_id, fingerprint, movie_id) do update
   set confidence = excluded.confidence, reason = excluded.reason, model = excluded.model, created_at = now();
