-- The import service's writes; each runs in the importing user's own transaction (RLS applies).

-- name: existing_ratings
select movie_id, rating, rated_at from public.ratings where user_id = %(user_id)s and movie_id = any(%(ids)s)

-- name: upsert_rating
insert into public.ratings (user_id, movie_id, rating, rated_at, source)
values (%(user_id)s, %(movie_id)s, %(rating)s, %(rated_at)s, %(source)s)
on conflict (user_id, movie_id) do update
  set rating = excluded.rating, rated_at = excluded.rated_at, source = excluded.source

-- name: mark_watched
insert into public.watchlist (user_id, movie_id, added_at, watched_at)
values (%(user_id)s, %(movie_id)s, %(when)s, %(when)s)
on conflict (user_id, movie_id) do update set watched_at = excluded.watched_at
  where public.watchlist.watched_at is null

-- name: add_to_watchlist
insert into public.watchlist (user_id, movie_id, added_at)
values (%(user_id)s, %(movie_id)s, coalesce(%(when)s, now()))
on conflict (user_id, movie_id) do nothing
