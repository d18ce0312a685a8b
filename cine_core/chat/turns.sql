-- Named queries for cine_core.chat.turns (chat messages with CineAI's reply, in `movie_conversations`).

-- name: store_turn
-- created_at is given when a turn is rewritten (answered question, undo), so it keeps its place.
insert into public.movie_conversations (user_id, movie_id, conversation_type, what_you_said, ai_learned, created_at)
values (%(user_id)s, %(movie_id)s, %(kind)s, %(text)s, %(learned)s, coalesce(%(created_at)s, now()))
returning id::text as id, created_at;

-- name: latest_turns
select id::text as id, conversation_type, what_you_said, ai_learned, created_at, movie_id
from public.movie_conversations
where user_id = %(user_id)s
order by created_at desc, id desc
limit %(limit)s;

-- name: turn
select id::text as id, conversation_type, what_you_said, ai_learned, created_at, movie_id
from public.movie_conversations
where user_id = %(user_id)s and id = %(id)s::uuid;

-- name: delete_turn
delete from public.movie_conversations where user_id = %(user_id)s and id = %(id)s::uuid;

-- name: same_title
-- Well-known films sharing a title ("Dune" 1984 and 2021), most voted first.
select id, title, year, vote_count from public.movies
where title_search = lower(%(title)s) and vote_count >= %(min_votes)s
order by vote_count desc
limit 4;
