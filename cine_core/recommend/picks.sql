-- Named queries for cine_core.recommend.picks (reading and storing a user's picks in `recommendations`).

-- name: lock_user
-- Serialise pick writes per user: a scheduled scout and a queue job may finish at the same moment.
select pg_advisory_xact_lock(hashtextextended('recommendations:' || %(user_id)s, 0));

-- name: upsert_pick
insert into public.recommendations
       (user_id, movie_id, score, reason, discovery_source, confidence, below_threshold, matcher, generated_at,
        position)
values (%(user_id)s, %(movie_id)s, %(score)s, %(reason)s, %(discovery_source)s, %(confidence)s,
        %(below_threshold)s, %(matcher)s, now(), %(position)s)
on conflict (user_id, movie_id) do update
   set score = excluded.score, reason = excluded.reason, discovery_source = excluded.discovery_source,
       confidence = excluded.confidence, below_threshold = excluded.below_threshold,
       matcher = excluded.matcher, generated_at = excluded.generated_at, position = excluded.position;

-- name: delete_stale
-- Picks the user acted on (feedback) stay; every other pick that no longer qualifies goes.
delete from public.recommendations
 where user_id = %(user_id)s and feedback is null and not (movie_id = any(%(keep)s));

-- name: excluded_ids
-- 👍 does not exclude: a liked pick stays a pick until rated or seen.
select movie_id from public.ratings where user_id = %(user_id)s
union select movie_id from public.film_feedback where user_id = %(user_id)s
                                               and kind in ('down', 'not_interested', 'seen')
union select movie_id from public.recommendations where user_id = %(user_id)s
                                                 and feedback in ('down', 'not_interested')
union select movie_id from public.watchlist where user_id = %(user_id)s and watched_at is not null;

-- name: watched_history
-- Films watched without stars: from imports (watchlist.watched_at) and "seen it" (film_feedback).
select movie_id, watched_at from public.watchlist where user_id = %(user_id)s and watched_at is not null
union all
select movie_id, created_at from public.film_feedback where user_id = %(user_id)s and kind = 'seen';

-- name: current_picks
-- Best first, as the dashboard shows them (a manual refresh rotates out the ones on screen).
select movie_id, discovery_source from public.recommendations
 where user_id = %(user_id)s and coalesce(feedback, '') <> 'not_interested'
 order by position nulls last, confidence desc, movie_id;
