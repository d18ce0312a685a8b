-- Named queries for cine_core.imports.diary; each runs in the importing user's own transaction (RLS applies).

-- name: add_watch
-- One watch per film and day: a watch already there (an earlier import, another service) is left as it is.
insert into public.diary_entries (user_id, movie_id, watched_on, rating, rewatch, source)
values (%(user_id)s, %(movie_id)s, %(watched_on)s, %(rating)s, %(rewatch)s, %(source)s)
on conflict (user_id, movie_id, watched_on) do nothing
returning id;

-- name: add_review
-- Re-importing the same text adds nothing (one row per film and text).
insert into public.film_reviews (user_id, movie_id, body, rating, watched_on, written_at, source)
values (%(user_id)s, %(movie_id)s, %(body)s, %(rating)s, %(watched_on)s, %(written_at)s, %(source)s)
on conflict (user_id, movie_id, md5(body)) do nothing
returning id;
