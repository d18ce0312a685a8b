-- Named queries for cine_core.app.library: the Library's lists one page at a time (a 5,000-film watchlist or a
-- 3,000-rating history is never read or drawn whole). Each is filtered by user_id; `total` is the count of the
-- whole filtered list (a window count), so one round trip gives the page and the pager's size.
-- %(contains)s is a LIKE pattern on the folded title (lower case, common accents removed: 'amelie' finds Amélie),
-- matched against the title and the original title; '%%' matches everything.

-- name: watchlist_page
select m.*, ur.rating as user_rating, w.added_at as watchlist_added_at, w.watched_at as watchlist_watched_at,
       count(*) over () as total
from public.watchlist w
join public.movies m on m.id = w.movie_id
left join public.ratings ur on ur.user_id = %(user_id)s and ur.movie_id = m.id
where w.user_id = %(user_id)s
  and (%(status)s = 'all' or (%(status)s = 'to_watch') = (w.watched_at is null))
  and (%(only)s::bigint[] is null or w.movie_id = any(%(only)s::bigint[]))
  and (translate(m.title_search, %(accents)s, %(plain)s) like %(contains)s
       or translate(lower(coalesce(m.original_title, '')), %(accents)s, %(plain)s) like %(contains)s)
order by
  case when %(sort)s = 'title' then m.title_search end,
  case when %(sort)s = 'year_new' then m.year end desc nulls last,
  case when %(sort)s = 'year_old' then m.year end nulls last,
  case when %(sort)s = 'popular' then m.popularity end desc,
  case when %(sort)s = 'added_old' then w.added_at end,
  w.added_at desc, m.id
limit %(limit)s offset %(offset)s;

-- name: ratings_page
select m.*, r.rating, r.rated_at, r.source as rating_source, count(*) over () as total
from public.ratings r
join public.movies m on m.id = r.movie_id
where r.user_id = %(user_id)s
  and r.rating between %(min_rating)s and %(max_rating)s
  and (translate(m.title_search, %(accents)s, %(plain)s) like %(contains)s
       or translate(lower(coalesce(m.original_title, '')), %(accents)s, %(plain)s) like %(contains)s)
order by
  case when %(sort)s = 'title' then m.title_search end,
  case when %(sort)s = 'best' then r.rating end desc,
  case when %(sort)s = 'worst' then r.rating end,
  case when %(sort)s = 'year_new' then m.year end desc nulls last,
  case when %(sort)s = 'oldest' then r.rated_at end,
  r.rated_at desc, m.id
limit %(limit)s offset %(offset)s;
