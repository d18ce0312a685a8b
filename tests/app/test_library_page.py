"""The Library page: search and rate (the rating menu starts empty), the watchlist and the history one page at a
time with search within, filters and sorting, whatever the size of the history."""

from __future__ import annotations

import html
import re

from cine_core.app import actions
from cine_core.db import transaction
from tests.app.conftest import popular_ids

BIG_WATCHLIST = 5_000
BIG_HISTORY = 3_000


def _rows(pool, sql: str, *args) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute(sql, args).fetchall()


def _open(app, tab: str):
    app.switch_page("pages/library.py")
    app.session_state["library-tab"] = tab
    return app.run()


def big_history(pool, user_id: str, *, watchlist: int = BIG_WATCHLIST, ratings: int = BIG_HISTORY) -> None:
    """A cinephile's history written straight to the tables (as an import leaves it): the most popular films
    rated, the next ones on the watchlist."""
    with transaction(pool) as conn:
        conn.execute(
            "insert into ratings (user_id, movie_id, rating, source, rated_at)"
            " select %s, id, 0.5 + (row_number() over (order by popularity desc) %% 10) / 2.0, 'letterboxd',"
            "        now() - make_interval(mins => (row_number() over (order by popularity desc))::int)"
            " from movies order by popularity desc limit %s", (user_id, ratings))
        conn.execute(
            "insert into watchlist (user_id, movie_id, added_at)"
            " select %s, id, now() - make_interval(mins => (row_number() over (order by popularity desc))::int)"
            " from movies order by popularity desc offset %s limit %s", (user_id, ratings, watchlist))


def _menu(app, key: str):
    """The list's menu of the page's films (its key carries a version that changes after each action)."""
    menus = [m for m in app.selectbox if m.key and m.key.startswith(f"{key}-table-")]
    assert len(menus) <= 1
    return menus[0] if menus else None


def _table(app) -> list[list[str]]:
    """The page's table: its rows' cells (one HTML element for the whole page)."""
    tables = [h.proto.body for h in app.get("html") if 'class="cine-list"' in h.proto.body]
    assert len(tables) <= 1
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tables[0]) if "<td>" in row] if tables else []


def _films(app, key: str) -> list[str]:
    films = [row[0] for row in _table(app)]
    menu = _menu(app, key)
    assert films == (list(menu.options) if menu else [])  # the menu offers the films the table shows
    return films


def _choose(app, key: str, row: int):
    """Choose the film of the table's `row` in the list's menu."""
    _menu(app, key).select_index(row)
    return app.run()


def _panel_film(app, prefix: str) -> int | None:
    """The film the list's panel is open on (its pills' key), or None."""
    keys = [s.key for s in app.pills if s.key and s.key.startswith(prefix)]
    assert len(keys) <= 1  # one rating control for the whole list
    return int(keys[0].rsplit("-", 1)[1]) if keys else None


def test_watchlist_rates_and_marks_watched_in_one_step(app, pool, local_user):
    matrix = 603
    actions.add_to_watchlist(pool, local_user, matrix)
    _open(app, "Watchlist")
    assert _films(app, "wl") == ["The Matrix (1999)"]
    assert _panel_film(app, "wl-rating-") is None  # no row chosen yet: no rating control at all
    _choose(app, "wl", 0)
    assert _panel_film(app, "wl-rating-") == matrix
    assert app.pills(key=f"wl-rating-{matrix}").value is None
    app.pills(key=f"wl-rating-{matrix}").set_value(3.5).run()
    assert _rows(pool, "select watched_at is not null as seen from watchlist") == [{"seen": True}]
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = 603")] == [3.5]
    assert _films(app, "wl") == []  # watched: out of "To watch"
    app.segmented_control(key="wl-status").set_value("watched").run()
    assert _films(app, "wl") == ["The Matrix (1999)"]


def test_a_big_watchlist_shows_one_page_with_search_within_and_sorting(app, pool, local_user):
    big_history(pool, local_user)
    _open(app, "Watchlist")
    assert not app.exception
    assert len(_films(app, "wl")) == 25  # one page, one table: not 5,000 rows of widgets
    assert len(app.button) < 10 and not app.pills and len(app.selectbox) == 2  # sort and the menu: none per row
    assert any("Page **1** of 200 · 5,000 films" in m.value for m in app.markdown)
    first_page = _films(app, "wl")
    _choose(app, "wl", 3)
    assert app.get("html") and _panel_film(app, "wl-rating-") is not None
    app.button(key="wl-next").click().run()
    assert _panel_film(app, "wl-rating-") is None  # another page: nothing chosen, not its 4th film
    second_page = _films(app, "wl")
    assert len(second_page) == 25 and not set(first_page) & set(second_page)
    assert any("Page **2** of 200" in m.value for m in app.markdown)

    app.selectbox(key="wl-sort").set_value("title").run()  # a new order starts on page 1
    titles = _films(app, "wl")
    assert any("Page **1** of 200" in m.value for m in app.markdown)
    assert titles == sorted(titles, key=str.lower)

    on_list = _rows(pool, "select m.title from watchlist w join movies m on m.id = w.movie_id"
                          " where m.title ~ '^[A-Za-z]{6,}$' order by m.popularity desc limit 1")[0]["title"]
    app.text_input(key="wl-search").set_value(on_list.lower()).run()
    shown = _films(app, "wl")
    assert shown and all(on_list.lower() in label.lower() for label in shown)


def test_a_chosen_watchlist_film_is_removed_and_the_panel_closes(app, pool, local_user):
    first, second = popular_ids(pool, 2)
    for movie_id in (first, second):
        actions.add_to_watchlist(pool, local_user, movie_id)
    _open(app, "Watchlist")
    _choose(app, "wl", 1)
    chosen = _panel_film(app, "wl-rating-")
    assert chosen in (first, second)
    app.button(key=f"wl-remove-{chosen}").click().run()
    assert _rows(pool, "select movie_id from watchlist") == [{"movie_id": ({first, second} - {chosen}).pop()}]
    assert any(t.value.startswith("Removed ") for t in app.toast)
    assert len(_films(app, "wl")) == 1 and _panel_film(app, "wl-rating-") is None


def _history(app) -> dict[str, str]:
    _films(app, "history")
    return {row[0]: row[1] for row in _table(app)}


def test_a_big_history_pages_its_ratings_and_filters_by_stars(app, pool, local_user):
    big_history(pool, local_user)
    _open(app, "History")
    assert not app.exception
    assert len(_history(app)) == 25  # one page of rows, not 3,000
    assert any("Page **1** of 120 · 3,000 ratings" in m.value for m in app.markdown)
    app.select_slider(key="history-stars").set_value((5.0, 5.0)).run()
    assert set(_history(app).values()) == {"★★★★★ 5"}
    assert any("of 12 · 300 ratings" in m.value for m in app.markdown)


def _newest_first(pool, user_id: str) -> list[int]:
    """The History grid's rows now (its default sort)."""
    return [r["movie_id"] for r in _rows(pool, "select movie_id from ratings where user_id = %s"
                                               " order by rated_at desc, movie_id", user_id)]


def test_a_history_row_changes_or_removes_its_rating_at_once(app, pool, local_user):
    first, second = popular_ids(pool, 2)
    for movie_id in (first, second):
        actions.rate(pool, local_user, movie_id, 4.0)
    _open(app, "History")
    assert set(_history(app).values()) == {"★★★★ 4"} and len(_history(app)) == 2
    assert any(c.value == "2 ratings" for c in app.caption)
    _choose(app, "history", _newest_first(pool, local_user).index(first))
    assert _panel_film(app, "hist-rating-") == first and app.pills(key=f"hist-rating-{first}").value == 4.0
    app.pills(key=f"hist-rating-{first}").set_value(2.5).run()
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", first)] == [2.5]
    assert any(t.value.startswith("Rated ") and t.value.endswith("★★½ 2.5") for t in app.toast)
    assert _panel_film(app, "hist-rating-") == first  # the panel stays on the film, though its row moved up
    assert "★★½ 2.5" in _history(app).values()
    app.pills(key=f"hist-rating-{first}").unselect(2.5).run()  # a second tap chooses nothing: nothing changes
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", first)] == [2.5]
    _choose(app, "history", _newest_first(pool, local_user).index(second))
    assert _panel_film(app, "hist-rating-") == second
    app.button(key=f"hist-remove-{second}").click().run()
    assert _rows(pool, "select movie_id from ratings where user_id = %s", local_user) == [{"movie_id": first}]
    assert any(t.value.startswith("Removed your rating of ") for t in app.toast)
    assert list(_history(app).values()) == ["★★½ 2.5"] and _panel_film(app, "hist-rating-") is None
    assert any(c.value == "1 rating" for c in app.caption)  # not "1 ratings"


def test_search_results_are_one_table_and_the_chosen_film_shows_poster_year_and_your_rating(app, pool, local_user):
    amelie = _rows(pool, "select id, poster_path from movies where title = 'Amélie'")[0]
    actions.rate(pool, local_user, amelie["id"], 3.5)
    _open(app, "Search")
    app.text_input(key="library-search").set_value("amelie").run()
    assert not app.exception
    assert _table(app)[0] == ["Amélie (2001)", "Comedy, Romance", "★★★½ 3.5", ""]
    assert not app.pills and not [m for m in app.markdown if "Poster:" in m.value]  # no control per row
    _choose(app, "search", _films(app, "search").index("Amélie (2001)"))
    posters = [m.value for m in app.markdown if 'aria-label="Poster: Amélie"' in m.value]
    assert len(posters) == 1
    assert amelie["poster_path"] and f"w92{amelie['poster_path']}" in posters[0]  # TMDB's small image
    assert any(link.proto.label.startswith("Amélie (2001)") and "your rating: ★★★½ 3.5" in link.proto.label
               for link in app.get("page_link"))
    assert app.pills(key=f"search-rating-{amelie['id']}").value == 3.5


def test_rating_and_listing_a_search_result_keep_its_panel_open(app, pool, local_user):
    _open(app, "Search")
    app.text_input(key="library-search").set_value("amelie").run()
    amelie = _rows(pool, "select id from movies where title = 'Amélie'")[0]["id"]
    _choose(app, "search", _films(app, "search").index("Amélie (2001)"))
    app.pills(key=f"search-rating-{amelie}").set_value(4.5).run()
    assert _rows(pool, "select rating from ratings where user_id = %s", local_user) == [{"rating": 4.5}]
    assert any(t.value == "Rated Amélie: ★★★★½ 4.5" for t in app.toast)
    assert _panel_film(app, "search-rating-") == amelie
    app.button(key=f"search-watch-{amelie}").click().run()
    assert _rows(pool, "select movie_id from watchlist where user_id = %s", local_user) == [{"movie_id": amelie}]
    assert _panel_film(app, "search-rating-") == amelie
    assert ["Amélie (2001)", "Comedy, Romance", "★★★★½ 4.5", "📌"] in _table(app)


def test_library_search_forgives_accents_and_finds_original_titles(app, local_user):
    _open(app, "Search")
    app.text_input(key="library-search").set_value("amelie").run()
    assert "Amélie (2001)" in _films(app, "search")
    app.text_input(key="library-search").set_value("Låt den rätte komma in").run()
    assert "Let the Right One In (2008)" in _films(app, "search")


def test_search_within_the_watchlist_forgives_accents(app, pool, local_user):
    amelie = _rows(pool, "select id from movies where title = 'Amélie'")[0]["id"]
    actions.add_to_watchlist(pool, local_user, amelie)
    actions.add_to_watchlist(pool, local_user, 603)
    _open(app, "Watchlist")
    app.text_input(key="wl-search").set_value("AMELIE").run()
    assert _films(app, "wl") == ["Amélie (2001)"]


def test_the_watchlist_can_show_only_the_films_on_your_services(pool, local_user):
    """The Library's "Only what's on my services now" passes arrivals.on_my_services_now's ids to the page."""
    from cine_core.app import library
    from cine_core.db import user_transaction

    ids = popular_ids(pool, 6)
    for movie_id in ids:
        actions.add_to_watchlist(pool, local_user, movie_id)
    with user_transaction(pool, local_user) as conn:
        everything = library.watchlist_page(conn, local_user)
        streaming = library.watchlist_page(conn, local_user, only={ids[1], ids[4]})
        none = library.watchlist_page(conn, local_user, only=set())
    assert everything.total == 6
    assert {c.movie.id for c in streaming.items} == {ids[1], ids[4]} and streaming.total == 2
    assert none.total == 0


def test_history_lists_what_you_told_cineai_as_text_in_one_table(app, pool, local_user):
    first, second = popular_ids(pool, 2)
    actions.rate(pool, local_user, first, 4.0)
    actions.give_feedback(pool, local_user, second, "up")
    title = _rows(pool, "select title, year from movies where id = %s", second)[0]
    _open(app, "History")
    told = [h.proto.body for h in app.get("html") if 'class="cine-list scroll"' in h.proto.body]
    assert len(told) == 1 and html.escape(f"{title['title']} ({title['year']})") in told[0]
    assert not app.dataframe  # no data grid on the tab
