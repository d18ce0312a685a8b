-- Named queries for cine_core.app.film (one film's page), each filtered by the viewer's user_id.

-- name: film
select m.*, ur.rating as user_rating, ur.rated_at as user_rated_at, ur.source as user_rating_source,
       w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at
from public.movies m
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
left join public.watchlist w on w.user_id = %(user_id)s and w.movie_id = m.id
where m.id = %(movie_id)s;

-- name: pick
select confidence, reason, discovery_source, generated_at, matcher, feedback
from public.recommendations where user_id = %(user_id)s and movie_id = %(movie_id)s;

-- name: said
select what_you_said, conversation_type, created_at
from public.movie_conversations where user_id = %(user_id)s and movie_id = %(movie_id)s
order by created_at desc limit 10;

-- name: more_like_this
-- Films sharing the director, keywords or the main genres; unseen by the viewer. Ranked by what they share
-- (a keyword 1 if a genre is shared too, the director 2, a genre 0.5) plus how well known they are: Iron Man 2 → other superhero
-- films first, not every Jon Favreau film (Elf, The Lion King) because the director matched.
select m.*, null::numeric as user_rating, null::timestamptz as watchlist_added_at,
       null::timestamptz as watchlist_watched_at
from public.movies m
where m.id <> %(movie_id)s
  and (m.directors && %(directors)s or m.keywords && %(keywords)s or m.genres @> %(genres)s)
  and not exists (select 1 from public.ratings r where r.user_id = %(user_id)s and r.movie_id = m.id)
  and not exists (select 1 from public.watchlist w
                  where w.user_id = %(user_id)s and w.movie_id = m.id and w.watched_at is not null)
order by 2 * (m.directors && %(directors)s)::int
         -- keywords count only between films sharing a genre: Amélie and Armageddon share "paris", "daughter"
         + (m.genres && %(all_genres)s)::int
           * cardinality(array(select unnest(m.keywords) intersect select unnest(%(keywords)s::text[])))
         + 0.5 * cardinality(array(select unnest(m.genres) intersect select unnest(%(all_genres)s::text[])))
         + 0.3 * ln(1 + coalesce(m.vote_count, 0)) desc,
         m.vote_count desc
limit %(limit)s;
