-- Named queries for cine_core.chat.service (storing one chat message with what it taught).

-- name: store_conversation
insert into public.movie_conversations (user_id, movie_id, conversation_type, what_you_said, ai_learned)
values (%s, %s, %s, %s, %s)
returning id::text as id;
