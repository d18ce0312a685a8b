-- Named queries for cine_core.app.actions (what a user does: rate, thumbs, dismiss, watchlist); positional params.

-- name: rate
insert into public.ratings (user_id, movie_id, rating, source) values (%s, %s, %s, %s)
on conflict (user_id, movie_id) do update
   set rating = excluded.rating, source = excluded.source, rated_at = now();

-- name: remove_rating
delete from public.ratings where user_id = %s and movie_id = %s;

-- name: feedback_on_pick
update public.recommendations set feedback = %s, feedback_at = now()
 where user_id = %s and movie_id = %s;

-- name: feedback_signal
-- A thumbs signal replaces an earlier signal, never a rating the user gave.
insert into public.ratings (user_id, movie_id, rating, source) values (%s, %s, %s, 'feedback')
on conflict (user_id, movie_id) do update set rating = excluded.rating, rated_at = now()
 where public.ratings.source = 'feedback';

-- name: dismiss_pick
update public.recommendations set feedback = 'not_interested', feedback_at = now()
 where user_id = %s and movie_id = %s;

-- name: dismiss_movie
select public.dismiss_movie(%s);

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
