"""The dashboard is fast: cached reads (taste summary, shelves) follow every write; a card action reruns only
its card; after warm-up Streamlit's full garbage collection after each run walks no catalog."""

from __future__ import annotations

import gc
import time
from datetime import date

import pytest
import streamlit

from cine_core.app import actions, dashboard, shelves
from cine_core.db import transaction, user_transaction
from cine_core.taste.store import refresh_profile
from tests.app.conftest import insert_picks, popular_ids
from ui import context

VILLENEUVE_LOVED = [329865, 335984, 438631, 273481]
HALLOWEEN_EVE = date(2026, 10, 20)


def _rate_as_import(pool, user_id: str, movie_ids: list[int], rating: float = 5) -> None:
    with transaction(pool) as conn:
        for movie_id in movie_ids:
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)",
                         (user_id, movie_id, rating))


def _stamp(pool, user_id: str) -> str:
    with user_transaction(pool, user_id) as conn:
        return dashboard.load_user_state(conn, user_id).taste_stamp


def _dashboard(pool, user_id: str) -> dashboard.Dashboard:
    with user_transaction(pool, user_id) as conn:
        return dashboard.load_dashboard(conn, user_id)


def _shelf_films(pool, user_id: str) -> dict[str, list[int]]:
    stamp = _stamp(pool, user_id)
    return {s.key: [f.movie.id for f in s.films] for s in shelves.load_shelves(pool, user_id, on=HALLOWEEN_EVE,
                                                                                 stamp=stamp)}


@pytest.fixture(autouse=True)
def _empty_caches():
    dashboard.TASTE_SUMMARIES.clear()
    shelves.CACHE.clear()
    yield
    dashboard.TASTE_SUMMARIES.clear()
    shelves.CACHE.clear()


def test_every_write_that_shapes_taste_moves_the_stamp_and_nothing_else_does(pool, local_user):
    film, other = popular_ids(pool, 2)
    seen = [_stamp(pool, local_user)]
    assert _stamp(pool, local_user) == seen[-1], "no write, same stamp"

    def moved(what: str) -> None:
        now = _stamp(pool, local_user)
        assert now != seen[-1], f"{what} did not move the stamp"
        seen.append(now)

    actions.rate(pool, local_user, film, 4)
    moved("a rating")
    actions.rate(pool, local_user, film, 2.5)
    moved("a changed rating (same count)")
    actions.give_feedback(pool, local_user, other, "up")
    moved("a 👍")
    actions.give_feedback(pool, local_user, other, "down")
    moved("👍 turned 👎 (same count)")
    actions.withdraw_feedback(pool, local_user, other)
    moved("a withdrawn 👎")
    assert seen[-1] == seen[2], "the same rows as before the 👍: the same stamp (the data is the same)"
    with transaction(pool) as conn:
        refresh_profile(conn, local_user)
    moved("a rebuilt profile")
    actions.remove_rating(pool, local_user, film)
    moved("a deleted rating")
    actions.add_to_watchlist(pool, local_user, other)
    assert _stamp(pool, local_user) == seen[-1], "the watchlist shapes neither summary nor shelves"


def test_a_rating_or_a_thumbs_down_leaves_the_cached_shelves_at_once(pool, local_user):
    _rate_as_import(pool, local_user, VILLENEUVE_LOVED)
    loads_before = shelves.CACHE.loads  # the cache is process-wide: earlier tests in this process loaded too
    first = _shelf_films(pool, local_user)
    assert first["person"] and first["halloween"]
    assert _shelf_films(pool, local_user) == first
    assert shelves.CACHE.loads == loads_before + 1, "an unchanged stamp reads the cache"

    rated, disliked = first["person"][0], first["halloween"][0]
    actions.rate(pool, local_user, rated, 3.5)
    after_rating = _shelf_films(pool, local_user)
    assert rated not in after_rating["person"], "a film just rated is still offered"
    actions.give_feedback(pool, local_user, disliked, "down")
    assert disliked not in _shelf_films(pool, local_user)["halloween"], "a film just 👎'd is still offered"
    assert shelves.CACHE.loads == loads_before + 3


def test_the_cached_taste_summary_follows_the_profile(pool, local_user):
    assert _dashboard(pool, local_user).summary.is_empty
    _rate_as_import(pool, local_user, VILLENEUVE_LOVED)
    with transaction(pool) as conn:
        refresh_profile(conn, local_user)  # what the worker does after ratings
    summary = _dashboard(pool, local_user).summary
    assert summary.rating_count == len(VILLENEUVE_LOVED)
    assert any("Villeneuve" in item.label for item in summary.people)
    assert _dashboard(pool, local_user).summary is summary, "an unchanged stamp reads the cache"


def test_the_cache_never_crosses_users_or_databases(pool, local_user, make_user):
    stranger = make_user("b@example.com")
    _rate_as_import(pool, local_user, VILLENEUVE_LOVED)
    assert "person" in _shelf_films(pool, local_user)
    assert "person" not in _shelf_films(pool, stranger), "the stranger got the local user's cached shelves"
    with transaction(pool) as conn:
        database = conn.execute("select current_database() as name").fetchone()["name"]
    assert _stamp(pool, local_user).startswith(f"{database}/"), "a test database's cache must not serve another's"


def test_a_card_action_reruns_only_its_card(app, pool, local_user, monkeypatch):
    """In the browser a widget inside an `st.fragment` reruns that fragment alone unless the code calls
    `st.rerun()`; AppTest always reruns the whole script, so the test counts the calls that would."""
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films)
    full_reruns: list[str] = []
    real_rerun = streamlit.rerun

    def counting_rerun(*args, **kwargs):
        full_reruns.append(kwargs.get("scope", "app"))
        return real_rerun(*args, **kwargs)

    monkeypatch.setattr(streamlit, "rerun", counting_rerun)
    app.run()
    for key in (f"pick-watch-{films[0]}", f"pick-up-{films[1]}", f"pick-down-{films[2]}", f"pick-hide-{films[3]}",
                f"pick-unwatch-{films[0]}", f"pick-rate-{films[4]}"):
        if key.startswith("pick-rate-"):  # the slider starts on "not rated": choose the stars first
            app.select_slider(key=f"pick-stars-{films[4]}").set_value(4.0)
        app.button(key=key).click().run()
        assert not app.exception, [e.value for e in app.exception]
    assert full_reruns == [], "a card action on the dashboard asked for a full page rerun"
    assert any("Removed from your watchlist" in s.value for s in app.success)
    assert any("You rated ★★★★ 4" in c.value for c in app.caption), "the rated film folds in its card"
    # the counter does see a full rerun: on Get started a rating still asks for one (its counter depends on it)
    app.switch_page("pages/onboarding.py").run()
    onboard = next(b.key for b in app.button if b.key and b.key.startswith("onboard-rate-"))
    app.select_slider(key=onboard.replace("onboard-rate-", "onboard-stars-")).set_value(4.0)
    app.button(key=onboard).click().run()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert full_reruns == ["app"]


def test_after_warm_up_streamlits_full_collection_walks_no_catalog(app, pool, local_user):
    """Streamlit's `gc.collect(2)` after every run stays on; once the app has warmed up, the catalog, its indexes
    and the scorer are frozen out of the collector's walk (it cost ~250 ms of CPU per click before)."""
    app.run()
    assert not app.exception
    assert streamlit.config.get_option("runner.postScriptGC") is True
    freezer = context.freeze_after_warm_up()
    freezer.join(600)
    try:
        assert not freezer.is_alive()
        assert gc.get_freeze_count() > 300_000  # the catalog (~44k films) and its indexes
        started = time.process_time()
        gc.collect()
        assert (time.process_time() - started) * 1000 < 60
    finally:
        gc.unfreeze()
