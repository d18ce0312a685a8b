"""The Library's pages from Postgres: every sort, search within (accents folded, original titles), the star and
status filters and the total, one page at a time; a page past the end becomes the last one."""

from __future__ import annotations

from cine_core.app import actions, library
from cine_core.db import transaction, user_transaction

AMELIE = 194


def _popular(pool, n: int) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select id, title, year, popularity from movies where year is not null"
                            " order by vote_count desc limit %s", (n,)).fetchall()


def test_ratings_pages_sort_filter_and_count(pool, local_user):
    films = _popular(pool, 60)
    for n, film in enumerate(films):
        actions.rate(pool, local_user, film["id"], 0.5 + (n % 10) / 2)
    actions.rate(pool, local_user, AMELIE, 5.0)
    with user_transaction(pool, local_user) as conn:
        newest = library.ratings_page(conn, local_user)
        assert (newest.total, len(newest.items), newest.items[0].movie.id) == (61, 25, AMELIE)
        assert [p.movie.id for p in library.ratings_page(conn, local_user, sort="oldest").items][:1] == [films[0]["id"]]
        best = library.ratings_page(conn, local_user, sort="best", size=100).items
        assert [r.rating for r in best] == sorted((r.rating for r in best), reverse=True)
        by_title = [r.movie.id for r in library.ratings_page(conn, local_user, sort="title", size=100).items]
        assert by_title == [r["movie_id"] for r in conn.execute(
            "select r.movie_id from ratings r join movies m on m.id = r.movie_id where r.user_id = %s"
            " order by m.title_search, r.rated_at desc, m.id", (local_user,)).fetchall()]
        years = [r.movie.year for r in library.ratings_page(conn, local_user, sort="year_new", size=100).items]
        assert years == sorted(years, reverse=True)
        fives = library.ratings_page(conn, local_user, stars=(5.0, 5.0), size=100)
        assert fives.total == 7 and {r.rating for r in fives.items} == {5.0}
        assert [r.movie.id for r in library.ratings_page(conn, local_user, text="AMELIE").items] == [AMELIE]
        assert [r.movie.id for r in library.ratings_page(conn, local_user, text="fabuleux destin").items] == [AMELIE]
        last = library.ratings_page(conn, local_user, offset=500)
        assert (last.offset, last.number, len(last.items)) == (50, 3, 11)


def test_watchlist_pages_by_status_and_sort_with_your_rating(pool, local_user):
    films = _popular(pool, 30)
    for film in films:
        actions.add_to_watchlist(pool, local_user, film["id"])
    actions.mark_watched(pool, local_user, films[0]["id"], 4.5)
    with user_transaction(pool, local_user) as conn:
        to_watch = library.watchlist_page(conn, local_user)
        assert to_watch.total == 29 and films[0]["id"] not in {c.movie.id for c in to_watch.items}
        assert to_watch.items[0].movie.id == films[-1]["id"]  # the newest added first
        watched = library.watchlist_page(conn, local_user, status="watched")
        assert [(c.movie.id, c.user_rating) for c in watched.items] == [(films[0]["id"], 4.5)]
        popular = library.watchlist_page(conn, local_user, status="all", sort="popular", size=30).items
        assert [c.movie.popularity for c in popular] == sorted((c.movie.popularity for c in popular), reverse=True)
        only = library.watchlist_page(conn, local_user, status="all", only={films[3]["id"], 999_999_999})
        assert [c.movie.id for c in only.items] == [films[3]["id"]]
        assert library.watchlist_page(conn, local_user, text="no such film at all").total == 0
