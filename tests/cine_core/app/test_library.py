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


def test_the_default_orders_index_walk_gives_the_window_querys_pages(pool, local_user, monkeypatch):
    """Newest rated / newest added with no search come straight off the person's index: the same pages, totals
    and filters as the window query they replace, on the first pages and near the walk's limit."""
    films = _popular(pool, 60)
    for n, film in enumerate(films):
        actions.rate(pool, local_user, film["id"], 0.5 + (n % 10) / 2)
        actions.add_to_watchlist(pool, local_user, film["id"])
    actions.mark_watched(pool, local_user, films[5]["id"], None)

    def pages(conn) -> list:
        return [[(p.total, p.offset, [(i.movie.id, i.rating, i.rated_at, i.source) for i in p.items]) for p in (
                    library.ratings_page(conn, local_user, offset=offset, size=size, stars=stars)
                    for offset, size, stars in ((0, 25, (0.5, 5.0)), (25, 25, (2.0, 4.0)), (40, 10, (0.5, 5.0))))],
                [(p.total, p.offset, [(c.movie.id, c.user_rating, c.watched_at) for c in p.items]) for p in (
                    library.watchlist_page(conn, local_user, offset=offset, size=size, status=status)
                    for offset, size, status in ((0, 25, "to_watch"), (25, 25, "all"), (0, 25, "watched")))]]

    with user_transaction(pool, local_user) as conn:
        walked = pages(conn)
        monkeypatch.setattr(library, "INDEX_WALK_MAX", -1)  # every page through the window query
        assert pages(conn) == walked
    assert walked[0][0][0] == 60 and walked[1][0][0] == 59 and walked[1][2][0] == 1
