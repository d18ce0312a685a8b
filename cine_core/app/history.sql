-- Named queries for cine_core.app.history (the user's ratings, CineAI's hits and misses, chat), each by user_id.

-- name: rated
-- Thumbs signals (source 'feedback') only when the signals parameter is true.
select m.*, r.rating, r.rated_at, r.source as rating_source
from public.ratings r join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s and (%(signals)s or r.source <> 'feedback')
order by r.rated_at desc, r.movie_id
limit %(limit)s;

-- name: calibration
-- Real picks only (matcher 'app' marks films the user dismissed from outside the picks).
select m.title, rec.confidence, r.rating
from public.recommendations rec
join public.ratings r on r.user_id = rec.user_id and r.movie_id = rec.movie_id and r.source <> 'feedback'
join public.movies m on m.id = rec.movie_id
where rec.user_id = %(user_id)s and rec.matcher is distinct from 'app'
order by rec.confidence;

-- name: conversations
select c.id::text as id, c.conversation_type, c.what_you_said, c.ai_learned, c.created_at, c.movie_id,
       m.title as movie_title
from public.movie_conversations c left join public.movies m on m.id = c.movie_id
where c.user_id = %(user_id)s
order by c.created_at desc
limit %(limit)s;
