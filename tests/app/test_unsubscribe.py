"""An email's unsubscribe link (`/?unsubscribe=<token>`) works without signing in."""

from __future__ import annotations

import pytest

from cine_core.config import get_settings
from cine_core.db import transaction
from cine_core.digest import make_unsubscribe_token
from cine_core.domain.watch import UserSettings
from cine_core.settings import save_settings

SECRET = "app-test-secret"


@pytest.fixture
def opted_in(pool, make_user, monkeypatch):
    monkeypatch.setenv("CINE_SECRET_KEY", SECRET)
    monkeypatch.setenv("SUPABASE_URL", "https://project.supabase.test")  # sign-in required for everything else
    monkeypatch.setenv("SUPABASE_ANON_KEY", "anon")
    get_settings.cache_clear()
    user = make_user("ann@example.com")
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(user, "US", weekly_digest=True))
    return user


def _digest_on(pool, user: str) -> bool:
    with transaction(pool) as conn:
        return conn.execute("select weekly_digest from user_settings where user_id = %s", (user,)).fetchone()[
            "weekly_digest"]


def test_the_link_unsubscribes_without_signing_in(app, pool, opted_in):
    app.query_params["unsubscribe"] = make_unsubscribe_token(opted_in, SECRET)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("You are unsubscribed" in s.value for s in app.success)
    assert not _digest_on(pool, opted_in)


def test_a_forged_link_changes_nothing(app, pool, opted_in):
    app.query_params["unsubscribe"] = make_unsubscribe_token(opted_in, "guessed secret")
    app.run()
    assert any("not valid" in e.value for e in app.error)
    assert _digest_on(pool, opted_in)


def test_without_the_parameter_the_sign_in_page_shows(app, opted_in):
    app.run()
    assert not app.success and "Unsubscribe" not in [t.value for t in app.title]
