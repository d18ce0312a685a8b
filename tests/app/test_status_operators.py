"""Operators apart from users: installation-wide status, spend and failed jobs only for operators."""

from __future__ import annotations

import pytest

from cine_core.app import status
from cine_core.app.auth import LOCAL_USER, AppUser
from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.errors import DataError

SIGN_IN = {"supabase_url": "https://cine-test.supabase.co", "supabase_anon_key": "anon"}


def _settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.fixture
def installation(pool, make_user, local_user):
    a, b = make_user("a@example.com"), make_user("ops@example.com")
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, jobs_done) values ('w1', 3)")
        conn.execute("insert into scout_state (user_id, last_scout_at, last_error) values (%s, now(), 'tmdb down')", (a,))
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, processed_at,"
                     " last_error) values (%s, 'chat', 'failed', now(), 'secret internals of b')", (b,))
        conn.execute("insert into api_usage (service, operation, user_id, estimated_cost_usd)"
                     " values ('anthropic', 'match_candidates', %s, 0.25), ('anthropic', 'match_candidates', %s, 4)",
                     (a, b))
    return AppUser(a, "a@example.com"), AppUser(b, "ops@example.com")


def test_operators_come_from_the_setting_and_personal_mode_makes_the_local_user_one():
    ops = _settings(cine_operator_emails=" Ops@Example.com, boss@example.com", **SIGN_IN)
    assert status.is_operator(ops, AppUser("x", "ops@example.com"))
    assert not status.is_operator(ops, AppUser("y", "a@example.com"))
    assert not status.is_operator(ops, LOCAL_USER)  # with sign-in, the local user is nobody
    assert status.is_operator(_settings(), LOCAL_USER)


def test_a_user_sees_only_their_own_usage_and_refresh_state(pool, installation):
    user, _ = installation
    view = status.load_status(pool, _settings(cine_operator_emails="ops@example.com", **SIGN_IN), user)
    assert not view.operator and view.worker is None and view.failed_jobs == ()
    assert [(u.service, u.calls_30d, u.cost_30d_usd) for u in view.usage] == [("anthropic", 1, 0.25)]
    assert view.mine.last_scout_at is not None and not view.mine.waiting and view.mine.last_failed_at is None
    assert "secret internals" not in repr(view) and "tmdb down" not in repr(view)
    with pytest.raises(DataError, match="operator"):
        status.retry_failed_jobs(pool, _settings(cine_operator_emails="ops@example.com", **SIGN_IN), user)


def test_an_operator_sees_the_installation_the_last_scout_and_failed_jobs(pool, installation):
    _, operator = installation
    settings = _settings(cine_operator_emails="ops@example.com", **SIGN_IN)
    view = status.load_status(pool, settings, operator)
    assert view.operator and view.worker.jobs_done == 3 and view.worker.queue_failed == 1
    assert view.worker.last_scout_at is not None  # from the real scout state, not the heartbeat rows
    assert [(j.user_id, j.last_error) for j in view.failed_jobs] == [(operator.id, "secret internals of b")]
    assert sum(u.cost_30d_usd for u in view.usage) == pytest.approx(4.25)
    assert status.retry_failed_jobs(pool, settings, operator) == 1
    assert status.load_status(pool, settings, operator).failed_jobs == ()


def test_the_status_page_lists_failed_jobs_for_the_local_operator(app, pool, local_user):
    with transaction(pool) as conn:
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, processed_at,"
                     " last_error) values (%s, 'chat', 'failed', now(), 'TMDB timed out')", (local_user,))
        conn.execute("insert into scout_state (user_id, last_scout_at) values (%s, now() - interval '5 minutes')",
                     (local_user,))
    app.switch_page("pages/status.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Last scout"] == "5 min ago" and metrics["Your last scout"] == "5 min ago"
    assert "TMDB timed out" in app.dataframe[0].value.to_string()
    app.button(key="retry-failed").click().run()
    assert any("queued again" in s.value for s in app.success)
