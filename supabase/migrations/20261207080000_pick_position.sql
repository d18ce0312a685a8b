-- Picks keep the worker's order (issue 22): the catalog ranker orders by how likely a person is to watch and
-- like a film, while the confidence shown is the chance of a 4★+ rating if watched; the two need not agree,
-- so the order is stored rather than re-derived from the confidence. 1 = best; null = a pick stored before.
alter table public.recommendations add column if not exists position integer;
create index if not exists recommendations_user_position_idx on public.recommendations (user_id, position, movie_id);
