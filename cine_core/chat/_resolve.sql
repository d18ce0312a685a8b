-- Named queries for cine_core.chat._resolve (a mentioned title to a `movies` id, most popular first).

-- name: exact_title
select id from public.movies where title_search = %s order by popularity desc, vote_count desc limit 1;

-- name: titles_like
-- Candidates for the title_key comparison done in Python (the key is looser than title_search).
select id, title from public.movies where title_search like %s
 order by popularity desc limit 20;
