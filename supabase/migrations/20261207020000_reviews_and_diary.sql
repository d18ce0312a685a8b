-- Reviews and the diary (issues 23.1, 24.8, 25.1). A review is what a person wrote about a film, not a chat
-- message: imported Letterboxd reviews used to be stored in movie_conversations, where they filled the
-- 500-a-day chat limit, became chat turns answered "Noted." and logged a warning each on every refresh.
-- They get their own table, and the diary keeps every watch with its date (rewatches counted).
-- Neither teaches the taste profile anything of its own: the film's rating does.

create table public.film_reviews (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  body text not null constraint film_reviews_body_length check (length(btrim(body)) between 1 and 20000),
  -- the rating given with the review (the one at that time; ratings holds the current one)
  rating numeric constraint film_reviews_rating_half_steps
    check (rating is null or (rating between 0.5 and 5.0 and rating * 2 = trunc(rating * 2))),
  watched_on date,
  written_at timestamptz not null default now(),
  source text not null default 'app' check (source in ('app', 'letterboxd', 'imdb', 'trakt'))
);
-- Re-importing the same review adds nothing.
create unique index film_reviews_one_text_per_film on public.film_reviews (user_id, movie_id, md5(body));
create index film_reviews_user_idx on public.film_reviews (user_id, written_at desc);
create index film_reviews_movie_idx on public.film_reviews (movie_id);

alter table public.film_reviews enable row level security;
revoke all on table public.film_reviews from anon, authenticated;
grant select, delete on table public.film_reviews to authenticated;
grant insert (user_id, movie_id, body, rating, watched_on, written_at, source) on table public.film_reviews
  to authenticated;
create policy "users read their reviews" on public.film_reviews
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users write their reviews" on public.film_reviews
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users delete their reviews" on public.film_reviews
  for delete to authenticated using ((select auth.uid()) = user_id);

-- One row per watch: a film seen twice on one day is one watch (an import from two services, or "Seen it"
-- pressed twice, counts it once).
create table public.diary_entries (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  movie_id bigint not null references public.movies (id),
  watched_on date not null constraint diary_entries_plausible_date
    check (watched_on between date '1888-01-01' and date '2200-01-01'),
  rating numeric constraint diary_entries_rating_half_steps
    check (rating is null or (rating between 0.5 and 5.0 and rating * 2 = trunc(rating * 2))),
  rewatch boolean not null default false,  -- as the source says (Letterboxd's "Rewatch"); also counted
  source text not null default 'app' check (source in ('app', 'letterboxd', 'imdb', 'trakt')),
  created_at timestamptz not null default now(),
  unique (user_id, movie_id, watched_on)
);
create index diary_entries_user_idx on public.diary_entries (user_id, watched_on desc);
create index diary_entries_movie_idx on public.diary_entries (movie_id);

alter table public.diary_entries enable row level security;
revoke all on table public.diary_entries from anon, authenticated;
grant select, delete on table public.diary_entries to authenticated;
grant insert (user_id, movie_id, watched_on, rating, rewatch, source) on table public.diary_entries to authenticated;
create policy "users read their diary" on public.diary_entries
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "users write their diary" on public.diary_entries
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "users delete from their diary" on public.diary_entries
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Imported reviews leave the chat. They are the film-bound rows nobody answered: a chat message always
-- carries what CineAI made of it (ai_learned), an imported review never did. Markup is reduced to text here
-- for these old rows (new imports do it with Python's html parser before storing).
with old_reviews as (
  select c.id, c.user_id, c.movie_id, c.created_at,
         btrim(replace(
           regexp_replace(
             regexp_replace(
               replace(replace(replace(replace(replace(c.what_you_said,
                 '&quot;', '"'), '&#39;', ''''), '&lt;', '<'), '&gt;', '>'), '&nbsp;', ' '),
               '<br\s*/?>|</p>\s*<p[^>]*>', E'\n', 'gi'),
             '<[^>]*>', '', 'g'),
           '&amp;', '&')) as body
    from public.movie_conversations c
   where c.movie_id is not null and c.ai_learned = '{}'::jsonb
)
insert into public.film_reviews (user_id, movie_id, body, rating, written_at, source)
select o.user_id, o.movie_id, left(o.body, 20000), r.rating, o.created_at, 'letterboxd'
  from old_reviews o
  left join public.ratings r on r.user_id = o.user_id and r.movie_id = o.movie_id
 where o.body <> ''
on conflict do nothing;

delete from public.movie_conversations c where c.movie_id is not null and c.ai_learned = '{}'::jsonb;
