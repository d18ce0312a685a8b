-- Feedback stored as what it is (issue 13): 👍 "more like this", 👎 "less like this", "not interested" and
-- "seen it" (watched, no stars) live in their own table, never as ratings. The taste profile learns likes
-- from 'up' and dislikes from 'down'; 'down', 'not_interested' and 'seen' keep a film out of the picks.
create table public.film_feedback (
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  kind text not null check (kind in ('up', 'down', 'not_interested', 'seen')),
  created_at timestamptz not null default now(),
  primary key (user_id, movie_id)
);
create index film_feedback_user_id_idx on public.film_feedback (user_id, created_at desc);

alter table public.film_feedback enable row level security;
revoke all on table public.film_feedback from anon, authenticated;
grant select, insert, update, delete on table public.film_feedback to authenticated;
create policy "users read their feedback" on public.film_feedback
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users give their feedback" on public.film_feedback
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users change their feedback" on public.film_feedback
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "users withdraw their feedback" on public.film_feedback
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Thumbs stored as fake ratings (source 'feedback': 👍 = 4★, 👎 = 2★) become feedback rows; a real rating of
-- the same film never existed next to them (one row per user and film), so nothing is lost.
insert into public.film_feedback (user_id, movie_id, kind, created_at)
select user_id, movie_id, case when rating >= 3 then 'up' else 'down' end, rated_at
  from public.ratings where source = 'feedback'
on conflict (user_id, movie_id) do nothing;
delete from public.ratings where source = 'feedback';
alter table public.ratings drop constraint if exists ratings_source_check;
alter table public.ratings add constraint ratings_source_check
  check (source in ('app', 'letterboxd', 'imdb', 'trakt'));

-- What people said on their picks counts too (a newer pick verdict wins over a migrated thumbs signal).
insert into public.film_feedback (user_id, movie_id, kind, created_at)
select user_id, movie_id, feedback, coalesce(feedback_at, generated_at)
  from public.recommendations where feedback is not null
on conflict (user_id, movie_id) do update set kind = excluded.kind, created_at = excluded.created_at
  where public.film_feedback.created_at <= excluded.created_at;

-- "Not interested" on a film outside the picks used to insert a fake pick (matcher 'app'); it is a feedback
-- row now, which the user may write themselves, so the function that inserted those rows goes too.
delete from public.recommendations where matcher = 'app';
drop function if exists public.dismiss_movie(bigint);
