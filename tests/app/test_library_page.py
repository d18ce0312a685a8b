"""The Library page: search and rate (the rating menu starts empty), the watchlist and the history one page at a
time with search within, filters and sorting, whatever the size of the history."""

from __future__ import annotations

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


def _watchlist_rows(app) -> list[int]:
    return [int(b.key.rsplit("-", 1)[1]) for b in app.button if b.key and b.key.startswith("wl-remove-")]


def test_search_then_rate_from_a_menu_that_starts_empty(app, pool, local_user):
    _open(app, "Search")
    app.text_input(key="library-search").set_value("inception").run()
    key = next(s.key for s in app.selectbox if s.key and s.key.startswith("search-rating-"))
    movie_id = int(key.rsplit("-", 1)[1])
    assert _rows(pool, "select title from movies where id = %s", movie_id)[0]["title"] == "Inception"
    menu = app.selectbox(key=key)
    assert menu.value is None  # never a pre-set 4★
    assert len(menu.options) == 10 and menu.options[0].endswith(" 0.5") and menu.options[-1].endswith(" 5")
    menu.set_value(4.5).run()
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", movie_id)] == [4.5]
    assert any("your rating: ★★★★½ 4.5" in m.value for m in app.markdown)
    assert app.selectbox(key=key).value == 4.5  # a rated film's menu shows its rating
    assert any("Rated Inception: ★★★★½ 4.5" in t.value for t in app.toast)
    app.button(key=f"search-watch-{movie_id}").click().run()
    assert _rows(pool, "select movie_id from watchlist") == [{"movie_id": movie_id}]


def test_watchlist_rates_and_marks_watched_in_one_step(app, pool, local_user):
    matrix = 603
    actions.add_to_watchlist(pool, local_user, matrix)
    _open(app, "Watchlist")
    assert _watchlist_rows(app) == [matrix]
    assert app.pills(key=f"wl-rating-{matrix}").value is None
    app.pills(key=f"wl-rating-{matrix}").set_value(3.5).run()
    assert _rows(pool, "select watched_at is not null as seen from watchlist") == [{"seen": True}]
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = 603")] == [3.5]
    assert _watchlist_rows(app) == []  # watched: out of "To watch"
    app.segmented_control(key="wl-status").set_value("watched").run()
    assert _watchlist_rows(app) == [matrix]


def test_a_big_watchlist_shows_one_page_with_search_within_and_sorting(app, pool, local_user):
    big_history(pool, local_user)
    _open(app, "Watchlist")
    assert not app.exception
    assert len(_watchlist_rows(app)) == 25  # one page, not 5,000 rows of widgets
    assert any("Page **1** of 200 · 5,000 films" in m.value for m in app.markdown)
    first_page = _watchlist_rows(app)
    app.button(key="wl-next").click().run()
    second_page = _watchlist_rows(app)
    assert len(second_page) == 25 and not set(first_page) & set(second_page)
    assert any("Page **2** of 200" in m.value for m in app.markdown)

    app.selectbox(key="wl-sort").set_value("title").run()  # a new order starts on page 1
    titles = [link.proto.label for link in app.get("page_link") if link.proto.page.endswith("film.py")
              or "id=" in str(link.proto)]
    assert any("Page **1** of 200" in m.value for m in app.markdown)
    assert titles == sorted(titles, key=str.lower)

    on_list = _rows(pool, "select m.title from watchlist w join movies m on m.id = w.movie_id"
                          " where m.title ~ '^[A-Za-z]{6,}$' order by m.popularity desc limit 1")[0]["title"]
    app.text_input(key="wl-search").set_value(on_list.lower()).run()
    shown = [link.proto.label for link in app.get("page_link")]
    assert shown and all(on_list.lower() in label.lower() for label in shown)


def _history_rows(app) -> dict[int, float | None]:
    return {int(s.key.rsplit("-", 1)[1]): s.value for s in app.pills if s.key and s.key.startswith("hist-rating-")}


def test_a_big_history_pages_its_ratings_and_filters_by_stars(app, pool, local_user):
    big_history(pool, local_user)
    _open(app, "History")
    assert not app.exception
    assert len(_history_rows(app)) == 25  # one page of rows, not 3,000
    assert any("Page **1** of 120 · 3,000 ratings" in m.value for m in app.markdown)
    app.select_slider(key="history-stars").set_value((5.0, 5.0)).run()
    assert set(_history_rows(app).values()) == {5.0}
    assert any("of 12 · 300 ratings" in m.value for m in app.markdown)


def test_a_history_row_changes_or_removes_its_rating_at_once(app, pool, local_user):
    first, second = popular_ids(pool, 2)
    for movie_id in (first, second):
        actions.rate(pool, local_user, movie_id, 4.0)
    _open(app, "History")
    assert _history_rows(app) == {first: 4.0, second: 4.0}
    app.pills(key=f"hist-rating-{first}").set_value(2.5).run()
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", first)] == [2.5]
    assert any(t.value.startswith("Rated ") and t.value.endswith("★★½ 2.5") for t in app.toast)
    app.pills(key=f"hist-rating-{first}").unselect(2.5).run()  # a second tap chooses nothing: nothing changes
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", first)] == [2.5]
    app.button(key=f"hist-remove-{second}").click().run()
    assert _rows(pool, "select movie_id from ratings where user_id = %s", local_user) == [{"movie_id": first}]
    assert any(t.value.startswith("Removed your rating of ") for t in app.toast)
    assert _history_rows(app) == {first: 2.5}


def test_search_results_show_poster_year_and_your_rating(app, pool, local_user):
    amelie = _rows(pool, "select id, poster_path from movies where title = 'Amélie'")[0]
    actions.rate(pool, local_user, amelie["id"], 3.5)
    _open(app, "Search")
    app.text_input(key="library-search").set_value("amelie").run()
    assert not app.exception
    posters = [m.value for m in app.markdown if 'aria-label="Poster: Amélie"' in m.value]
    assert len(posters) == 1
    assert amelie["poster_path"] and f"w92{amelie['poster_path']}" in posters[0]  # TMDB's small image
    assert any(link.proto.label == "Amélie (2001)" for link in app.get("page_link"))
    assert any("your rating: ★★★½ 3.5" in m.value for m in app.markdown)
    assert app.selectbox(key=f"search-rating-{amelie['id']}").value == 3.5


def test_library_search_forgives_accents_and_finds_original_titles(app, local_user):
    _open(app, "Search")
    app.text_input(key="library-search").set_value("amelie").run()
    assert any(link.proto.label == "Amélie (2001)" for link in app.get("page_link"))
    app.text_input(key="library-search").set_value("Låt den rätte komma in").run()
    assert any(link.proto.label == "Let the Right One In (2008)" for link in app.get("page_link"))


def test_search_within_the_watchlist_forgives_accents(app, pool, local_user):
    amelie = _rows(pool, "select id from movies where title = 'Amélie'")[0]["id"]
    actions.add_to_watchlist(pool, local_user, amelie)
    actions.add_to_watchlist(pool, local_user, 603)
    _open(app, "Watchlist")
    app.text_input(key="wl-search").set_value("AMELIE").run()
    assert _watchlist_rows(app) == [amelie]


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
