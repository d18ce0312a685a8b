-- Named queries for cine_core.films.rows (the `movies` table); the merges are built from MOVIE_COLUMNS in rows.py.

-- name: create_stage
-- Columns in MOVIE_COLUMNS order: upsert_movies COPYs movie_to_row tuples into it.
create temp table _movies_stage (id bigint, title text, year int, release_date date, overview text,
  genres text[], keywords text[], directors text[], top_cast text[], runtime int, original_language text,
  popularity double precision, vote_average double precision, vote_count int, poster_path text,
  imdb_id text, watch_providers jsonb, web_enrichment jsonb, fetched_at timestamptz, source text,
  original_title text, certification text, popular_rank int)
on commit drop;

-- name: drop_stage
drop table _movies_stage;

-- name: movies_by_ids
select * from public.movies where id = any(%s);
