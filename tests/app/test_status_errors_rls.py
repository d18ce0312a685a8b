"""Status page, database failures shown as messages, and per-user isolation of page queries."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.app import dashboard, history
from cine_core.chat.turns import latest_turns
from cine_core.db import transaction, user_transaction
from tests.app.conftest import APP_FILE, TIMEOUT_SECONDS, insert_picks, popular_ids


def test_status_page_shows_worker_queue_sources_and_cost(app, pool, local_user):
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, last_scout_at, jobs_done) values ('w1', now(), 7)")
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type) values (%s, 'manual')",
                     (local_user,))
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, last_error)"
                     " values (%s, 'chat', 'failed', 'boom')", (local_user,))
        conn.execute("insert into api_usage (service, operation, model, tokens_in, tokens_out, estimated_cost_usd)"
                     " values ('anthropic', 'match_candidates', 'claude-haiku-5-5', 1200, 300, 0.0123)")
        conn.execute("insert into api_usage (service, operation, estimated_cost_usd, at)"
                     " values ('tmdb', 'movie_details', 0, now() - interval '3 days')")
    app.switch_page("pages/status.py").run()
    assert not app.exception
    assert any("Worker alive" in s.value for s in app.success)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Queue: pending"] == "1" and metrics["Failed jobs"] == "1" and metrics["Jobs done"] == "7"
    assert metrics["Estimated cost, 24 h"] == "$0.0123" and metrics["Estimated cost, 30 days"] == "$0.0123"
    table = app.table[0].value
    assert "offline catalog" in table.to_string() and "local engine" in table.to_string()


def test_status_without_any_worker_says_how_to_start_one(app):
    app.switch_page("pages/status.py").run()
    assert any("python -m worker" in w.value for w in app.warning)


def test_unreachable_database_is_a_clear_message_not_a_traceback(app_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    at = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT_SECONDS).run()
    assert not at.exception
    assert any("cannot reach its database" in e.value for e in at.error)


def test_a_database_error_while_loading_a_page_is_shown_as_a_message(app, db_url):
    app.run()
    with psycopg.connect(db_url, autocommit=True) as conn:  # break the schema under the running app
        conn.execute("alter table recommendations rename to recommendations_gone")
    app.run()
    assert not app.exception
    assert any("Loading your picks failed" in e.value and "Database error" in e.value for e in app.error)


def test_page_queries_never_return_another_users_rows(pool, make_user, local_user):
    other = make_user("b@example.com")
    films = popular_ids(pool, 14)
    insert_picks(pool, local_user, films[:6])
    insert_picks(pool, other, films[6:], reason="secret reason of B")
    with transaction(pool) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 4)", (other, films[0]))
        conn.execute("insert into watchlist (user_id, movie_id) values (%s, %s)", (other, films[1]))
        conn.execute("insert into film_feedback (user_id, movie_id, kind) values (%s, %s, 'up')", (other, films[2]))
        conn.execute("insert into movie_conversations (user_id, conversation_type, what_you_said)"
                     " values (%s, 'loved_it', 'secret of B')", (other,))
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, processed_at)"
                     " values (%s, 'manual', 'failed', now())", (other,))
    with user_transaction(pool, local_user) as conn:
        own = dashboard.list_picks(conn, local_user, limit=50)
        # A page bug passing B's id under A's claims: RLS still returns nothing of B's.
        leaked_picks = dashboard.list_picks(conn, other, limit=50)
        leaked_state = dashboard.load_user_state(conn, other)
        leaked_chat = latest_turns(conn, other)
        leaked_rated = history.list_rated(conn, other) + history.list_feedback(conn, other)
        leaked_watch = dashboard.list_watchlist(conn, other)
        marks = dashboard.cards_for_movies(conn, other, films[:2])
    assert {c.movie.id for c in own} == set(films[:6])
    assert all("secret" not in c.pick.reason for c in own)
    assert leaked_picks == [] and leaked_chat == [] and leaked_rated == [] and leaked_watch == []
    assert leaked_state.rating_count == 0 and leaked_state.picks_available == 0
    assert not leaked_state.refresh_waiting and leaked_state.refresh_failed_at is None
    assert all(c.user_rating is None and not c.on_watchlist for c in marks)


@pytest.mark.parametrize("statement", [
    "update recommendations set feedback = 'up' where user_id = %(other)s",
    "delete from watchlist where user_id = %(other)s",
])
def test_actions_under_one_users_claims_cannot_touch_anothers_rows(pool, make_user, local_user, statement):
    other = make_user("c@example.com")
    films = popular_ids(pool, 2)
    insert_picks(pool, other, films)
    with transaction(pool) as conn:
        conn.execute("insert into watchlist (user_id, movie_id) values (%s, %s)", (other, films[0]))
    with user_transaction(pool, local_user) as conn:
        assert conn.execute(statement, {"other": other}).rowcount == 0
