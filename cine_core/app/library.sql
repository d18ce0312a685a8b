-- Named queries for cine_core.app.library: the Library's lists one page at a time (a 5,000-film watchlist or a
-- 3,000-rating history is never read or drawn whole). Each is filtered by user_id; `total` is the count of the
-- whole filtered list (a window count), so one round trip gives the page and the pager's size.
-- The list is filtered, counted and ordered on the person's own narrow rows; a film's row is read only when the
-- search or the sort needs it (a correlated lookup), and whole only for the page's 25 films. Joining and sorting
-- every film's full row first cost 90-280 ms for 3,000-5,000 films, against ~1 ms for a small library.
-- %(contains)s is a LIKE pattern on the folded title (lower case, common accents removed: 'amelie' finds Amélie),
-- matched against the title and the original title; '%%%%' (the pattern of an empty search) matches everything.

-- name: watchlist_page
with page as (
  select w.movie_id, w.added_at, w.watched_at, count(*) over () as total,
         row_number() over (order by
           case when %(sort)s = 'title' then (select m.title_search from public.movies m where m.id = w.movie_id) end,
           case when %(sort)s = 'year_new' then (select m.year from public.movies m where m.id = w.movie_id) end
             desc nulls last,
           case when %(sort)s = 'year_old' then (select m.year from public.movies m where m.id = w.movie_id) end
             nulls last,
           case when %(sort)s = 'popular' then (select m.popularity from public.movies m where m.id = w.movie_id) end
             desc,
           case when %(sort)s = 'added_old' then w.added_at end,
           w.added_at desc, w.movie_id) as position
  from public.watchlist w
  where w.user_id = %(user_id)s
    and (%(status)s = 'all' or (%(status)s = 'to_watch') = (w.watched_at is null))
    and (%(only)s::bigint[] is null or w.movie_id = any(%(only)s::bigint[]))
    and (%(contains)s = '%%%%' or (
      select translate(m.title_search, %(accents)s, %(plain)s) like %(contains)s
             or translate(lower(coalesce(m.original_title, '')), %(accents)s, %(plain)s) like %(contains)s
      from public.movies m where m.id = w.movie_id))
  order by position
  limit %(limit)s offset %(offset)s
)
select m.*, ur.rating as user_rating, page.added_at as watchlist_added_at, page.watched_at as watchlist_watched_at,
       page.total
from page
join public.movies m on m.id = page.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = page.movie_id
order by page.position;

-- name: ratings_page
with page as (
  select r.movie_id, r.rating, r.rated_at, r.source as rating_source, count(*) over () as total,
         row_number() over (order by
           case when %(sort)s = 'title' then (select m.title_search from public.movies m where m.id = r.movie_id) end,
           case when %(sort)s = 'best' then r.rating end desc,
           case when %(sort)s = 'worst' then r.rating end,
           case when %(sort)s = 'year_new' then (select m.year from public.movies m where m.id = r.movie_id) end
             desc nulls last,
           case when %(sort)s = 'oldest' then r.rated_at end,
           r.rated_at desc, r.movie_id) as position
  from public.ratings r
  where r.user_id = %(user_id)s
    and r.rating between %(min_rating)s and %(max_rating)s
    and (%(contains)s = '%%%%' or (
      select translate(m.title_search, %(accents)s, %(plain)s) like %(contains)s
             or translate(lower(coalesce(m.original_title, '')), %(accents)s, %(plain)s) like %(contains)s
      from public.movies m where m.id = r.movie_id))
  order by position
  limit %(limit)s offset %(offset)s
)
select m.*, page.rating, page.rated_at, page.rating_source, page.total
from page
join public.movies m on m.id = page.movie_id
order by page.position;

-- The default orders (newest rated, newest added) with no search and no `only`: the page straight from the
-- person's (user_id, rated_at) / (user_id, added_at) index, 25 rows read instead of a window over the whole list,
-- and the count on its own (the window query: 15-22 ms for 3,000-5,000 films at load 12; this one ~1 ms).

-- name: ratings_recent
with page as (
  select r.movie_id, r.rating, r.rated_at, r.source as rating_source
  from public.ratings r
  where r.user_id = %(user_id)s and r.rating between %(min_rating)s::numeric and %(max_rating)s::numeric
  order by r.rated_at desc, r.movie_id
  limit %(limit)s offset %(offset)s
)
select m.*, page.rating, page.rated_at, page.rating_source,
       (select count(*) from public.ratings c
        where c.user_id = %(user_id)s and c.rating between %(min_rating)s::numeric and %(max_rating)s::numeric) as total
from page
join public.movies m on m.id = page.movie_id
order by page.rated_at desc, page.movie_id;

-- name: watchlist_recent
with page as (
  select w.movie_id, w.added_at, w.watched_at
  from public.watchlist w
  where w.user_id = %(user_id)s
    and (%(status)s = 'all' or (%(status)s = 'to_watch') = (w.watched_at is null))
  order by w.added_at desc, w.movie_id
  limit %(limit)s offset %(offset)s
)
select m.*, ur.rating as user_rating, page.added_at as watchlist_added_at, page.watched_at as watchlist_watched_at,
       (select count(*) from public.watchlist c
        where c.user_id = %(user_id)s
          and (%(status)s = 'all' or (%(status)s = 'to_watch') = (c.watched_at is null))) as total
from page
join public.movies m on m.id = page.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = page.movie_id
order by page.added_at desc, page.movie_id;
