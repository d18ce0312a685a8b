-- Named queries for cine_core.recommend.shelves (each filtered by user_id: never a film they rated, watched or
-- turned down).

-- name: films_of_person
select m.* from public.movies m
where (%(name)s = any(m.directors) or %(name)s = any(m.top_cast[1:3]))
  and not exists (select 1 from public.ratings r where r.user_id = %(user_id)s and r.movie_id = m.id)
  and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = m.id)
  and not exists (select 1 from public.watchlist w where w.user_id = %(user_id)s and w.movie_id = m.id
                  and w.watched_at is not null)
  and (m.release_date is null or m.release_date <= %(today)s)
order by m.popularity desc, m.id
limit %(limit)s;

-- name: seasonal_films
-- A core keyword is enough ("christmas"); a softer one needs the season's genre ("ghost" in a horror film);
-- for summer blockbusters the genre and the vote count are the season.
select m.* from public.movies m
where m.vote_count >= %(min_votes)s
  and (m.keywords && %(core_keywords)s::text[]
       or (m.keywords && %(keywords)s::text[] and m.genres && %(genres)s::text[])
       or (%(genre_is_enough)s and m.genres && %(genres)s::text[]))
  and not exists (select 1 from public.ratings r where r.user_id = %(user_id)s and r.movie_id = m.id)
  and not exists (select 1 from public.film_feedback f where f.user_id = %(user_id)s and f.movie_id = m.id)
  and not exists (select 1 from public.watchlist w where w.user_id = %(user_id)s and w.movie_id = m.id
                  and w.watched_at is not null)
order by m.popularity desc, m.id
limit %(limit)s;
