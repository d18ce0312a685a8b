-- Named queries for cine_core.app.actions (what a user does: rate, thumbs, dismiss, watchlist); positional params.

-- name: rate
insert into public.ratings (user_id, movie_id, rating, source) values (%s, %s, %s, %s)
on conflict (user_id, movie_id) do update
   set rating = excluded.rating, source = excluded.source, rated_at = now();

-- name: remove_rating
delete from public.ratings where user_id = %s and movie_id = %s;

-- name: give_feedback
-- One verdict per film: the latest replaces the earlier one. Never touches `ratings`.
insert into public.film_feedback (user_id, movie_id, kind) values (%s, %s, %s)
on conflict (user_id, movie_id) do update set kind = excluded.kind, created_at = now();

-- name: feedback_on_pick
-- Only when the film is one of the user's picks: users cannot insert picks, and need not.
update public.recommendations set feedback = %s, feedback_at = now()
 where user_id = %s and movie_id = %s;

-- name: withdraw_feedback
delete from public.film_feedback where user_id = %s and movie_id = %s;

-- name: clear_pick_feedback
update public.recommendations set feedback = null, feedback_at = null
 where user_id = %s and movie_id = %s;

-- name: add_to_watchlist
insert into public.watchlist (user_id, movie_id) values (%s, %s) on conflict do nothing;

-- name: remove_from_watchlist
delete from public.watchlist where user_id = %s and movie_id = %s;

-- name: mark_watched
insert into public.watchlist (user_id, movie_id, watched_at) values (%s, %s, now())
on conflict (user_id, movie_id) do update set watched_at = now();

-- name: rate_watched
insert into public.ratings (user_id, movie_id, rating, source) values (%s, %s, %s, 'app')
on conflict (user_id, movie_id) do update set rating = excluded.rating, source = 'app', rated_at = now();
