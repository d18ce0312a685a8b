-- The catalog through mid-2025: original titles (imports match localised titles), US certification,
-- the rank on TMDB's mid-2025 popular list (offline trending), and which catalog file is loaded.
alter table public.movies
  add column if not exists original_title text,
  add column if not exists certification text,
  add column if not exists popular_rank int;
create index if not exists movies_popular_rank_idx on public.movies (popular_rank) where popular_rank is not null;
create index if not exists movies_release_date_idx on public.movies (release_date);
create index if not exists movies_original_title_idx on public.movies (lower(original_title) text_pattern_ops)
  where original_title is not null;

-- Server-owned: written by `python -m cine_core setup`, read by operators; no grants to app roles.
create table if not exists public.catalog_versions (
  version text primary key,
  films int not null check (films >= 0),
  loaded_at timestamptz not null default now()
);
alter table public.catalog_versions enable row level security;
revoke all on table public.catalog_versions from anon, authenticated;
