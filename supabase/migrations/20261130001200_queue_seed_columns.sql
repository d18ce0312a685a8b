-- The seed's queue columns back (issue 18): `movie_id`, the film whose rating (or chat) triggered the
-- refresh, so a quick refresh can look for films like the one just rated; and `queued_at`, the seed's
-- name for when the request was queued (kept equal to `created_at`, which the code and indexes use).
-- Existing rows stay: movie_id is null for them, queued_at is their created_at.
alter table public.recommendation_refresh_queue
  add column if not exists movie_id bigint references public.movies (id) on delete set null,
  add column if not exists queued_at timestamptz generated always as (created_at) stored;

-- A rating fills movie_id; a burst of ratings keeps one pending job naming the latest film.
create or replace function public.enqueue_refresh_on_rating() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.recommendation_refresh_queue (user_id, trigger_type, movie_id)
  values (new.user_id, 'new_rating', new.movie_id)
  on conflict (user_id) where status = 'pending' do update set movie_id = excluded.movie_id;
  perform pg_notify('recommendation_refresh', new.user_id::text);
  return null;
end;
$$;
revoke all on function public.enqueue_refresh_on_rating() from public, anon, authenticated;
