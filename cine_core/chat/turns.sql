-- Named queries for cine_core.chat.turns (chat messages with CineAI's reply, in `movie_conversations`).

-- name: store_turn
-- What CineAI learned (ai_learned) is server-owned: written through a security-definer function granted to the
-- app's own login and the service role (migration 20261209200000), never as the person.
select turn_id as id, turn_created_at as created_at
  from public.store_chat_turn(%(user_id)s, %(movie_id)s, %(kind)s, %(text)s, %(learned)s);

-- name: rewrite_turn
-- The person's turn replaced by one with its text, film and place and the new ai_learned; no row: it is gone.
select turn_id as id, turn_created_at as created_at
  from public.rewrite_chat_turn(%(user_id)s, %(id)s::uuid, %(kind)s, %(learned)s);

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

-- name: same_title
-- Well-known films sharing a title ("Dune" 1984 and 2021), most voted first.
select id, title, year, vote_count from public.movies
where title_search = lower(%(title)s) and vote_count >= %(min_votes)s
order by vote_count desc
limit 4;
