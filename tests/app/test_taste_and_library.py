"""Taste page charts, the removable profile items, the Library's imports and rating validation (the Library's
lists: test_library_page.py)."""

from __future__ import annotations

import pytest

from cine_core.app import actions
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.background import run_pending_imports
from cine_core.taste import store as taste_store
from tests.app.conftest import insert_picks, queue_rows
from ui.escape import as_text


def _rows(pool, sql: str, *args) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute(sql, args).fetchall()


def _rate_genre(pool, user_id: str, genre: str, n: int = 6, rating: float = 5.0) -> list[int]:
    films = [r["id"] for r in _rows(pool, "select id from movies where %s = any(genres) order by popularity desc"
                                          " limit %s", genre, n)]
    for movie_id in films:
        actions.rate(pool, user_id, movie_id, rating)
    with transaction(pool) as conn:  # the profile is server-owned: the worker rebuilds it
        taste_store.refresh_profile(conn, user_id)
    return films


def test_removing_a_learned_preference_from_the_dashboard(app, pool, local_user):
    rated = _rate_genre(pool, local_user, "Science Fiction")
    insert_picks(pool, local_user, [m["id"] for m in _rows(
        pool, "select id from movies where not id = any(%s) order by popularity desc limit 12", rated)])
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    app.run()
    forget = [b for b in app.button if b.key and b.key.endswith("-genre:science fiction")
              and b.key.startswith("taste-forget-")]
    assert forget, [b.key for b in app.button if b.key and "forget" in b.key]
    forget[0].click().run()
    assert not app.exception
    with user_transaction(pool, local_user) as conn:
        profile = taste_store.load_profile(conn, local_user)
    assert "genre:science fiction" in profile.removed and "science fiction" not in profile.genres
    assert not [b for b in app.button if b.key and b.key.endswith("-genre:science fiction")]
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["feedback"]


def test_taste_page_draws_the_charts_including_calibration(app, pool, local_user):
    films = _rate_genre(pool, local_user, "Science Fiction", n=8)
    insert_picks(pool, local_user, [m["id"] for m in _rows(
        pool, "select id from movies where not id = any(%s) order by popularity desc limit 3", films)])
    picked = _rows(pool, "select movie_id from recommendations where user_id = %s order by confidence desc limit 2",
                   local_user)
    actions.rate(pool, local_user, picked[0]["movie_id"], 4.5)
    actions.rate(pool, local_user, picked[1]["movie_id"], 2.0)
    app.switch_page("pages/taste.py").run()
    assert not app.exception
    titles = [chart.proto.spec for chart in app.get("plotly_chart")]
    for name in ("Genre affinity", "How you rate", "Ratings over time", "Decades", "Were my picks right?"):
        assert any(name in spec for spec in titles), name


def test_taste_page_without_ratings_invites_to_rate(app):
    app.switch_page("pages/taste.py").run()
    assert not app.exception
    assert any("Rate a few films" in i.value for i in app.info)


def test_action_validation_and_db_check_give_the_same_message(pool, local_user):
    with pytest.raises(DataError) as from_app:
        actions.rate(pool, local_user, 27205, 4.3)
    with pytest.raises(DataError) as from_db, user_transaction(pool, local_user) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 27205, 4.3)", (local_user,))
    assert actions.INVALID_RATING_MESSAGE in str(from_app.value)
    assert actions.INVALID_RATING_MESSAGE in str(from_db.value)
    for bad in (0.0, 5.5, -1.0, float("nan"), "x"):
        with pytest.raises(DataError, match="half-star steps"):
            actions.validate_rating(bad)
    for good in (0.5, 1.0, 3.5, 5.0):
        assert actions.validate_rating(good) == good


LETTERBOXD_RATINGS = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-02,Inception,2010,https://boxd.it/1skk,4.5\n"
    "2024-01-03,The Matrix,1999,https://boxd.it/2a1m,5\n"
    "2024-01-04,A Film That Does Not Exist Anywhere,1901,https://boxd.it/zzzz,3\n"
)


def test_import_runs_in_the_worker_and_shows_progress_then_the_summary(app, pool, local_user):
    app.switch_page("pages/library.py")
    app.session_state["library-tab"] = "Import"  # only the open tab is drawn
    app.run()
    app.get("file_uploader")[-1].upload("ratings.csv", LETTERBOXD_RATINGS.encode(), "text/csv")
    app.run()
    app.button(key="library-import-run").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "waiting for the worker" in app.get("progress")[0].proto.text
    assert not _rows(pool, "select 1 from ratings where user_id = %s", local_user)  # nothing imported in the page

    assert run_pending_imports(pool, "test-worker", shared_catalog_source()) == 1  # what the worker runs
    app.run()
    assert not app.get("progress")
    # The summary names films from the file, so it is shown as text (ui.escape.as_text: Markdown escaped).
    assert any(as_text("Letterboxd import: 2 matched, 1 unmatched") in s.value for s in app.success)
    assert any("could not be matched" in e.label for e in app.expander)
    assert app.get("download_button")
    titles = {r["title"]: float(r["rating"]) for r in _rows(
        pool, "select m.title, r.rating from ratings r join movies m on m.id = r.movie_id where r.user_id = %s",
        local_user)}
    assert titles == {"Inception": 4.5, "The Matrix": 5.0}
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] in (["new_rating"], ["import"])
    with transaction(pool) as conn:
        job = conn.execute("select status, rows_done, rows_total, content from import_jobs").fetchone()
    assert (job["status"], job["rows_done"], job["rows_total"], job["content"]) == ("done", 3, 3, None)


def test_a_broken_import_file_shows_one_clear_error(app, pool, local_user):
    app.switch_page("pages/library.py")
    app.session_state["library-tab"] = "Import"  # only the open tab is drawn
    app.run()
    app.get("file_uploader")[-1].upload("ratings.csv", b"\x00\x01binary junk" * 50, "text/csv")
    app.run()
    app.button(key="library-import-run").click().run()
    run_pending_imports(pool, "test-worker", shared_catalog_source())
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        f"The import of {as_text('ratings.csv')} failed: "
        f"{as_text('ratings.csv looks like a binary file, not a CSV or JSON export')}"]
    assert not app.get("progress")
