-- Named queries for cine_core.app.person (a director's or actor's page), filtered by the viewer's user_id.

-- name: films_with_person
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at,
       (%(name)s = any(m.directors)) as directed
from public.movies m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where %(name)s = any(m.directors) or %(name)s = any(m.top_cast)
order by m.vote_count desc, m.id
limit %(limit)s;
