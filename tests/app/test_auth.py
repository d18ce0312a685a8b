"""Supabase Auth: sign-in through the supabase client (HTTP mocked with respx), one user's data per session."""

from __future__ import annotations

import httpx
import pytest
import respx

from cine_core.app import auth
from cine_core.config import Settings
from tests.app.conftest import insert_picks, popular_ids

SUPABASE_URL = "https://cine-test.supabase.co"
TOKEN_URL = f"{SUPABASE_URL}/auth/v1/token"


def _session(user_id: str, email: str) -> dict:
    return {
        "access_token": "header.payload.signature", "token_type": "bearer", "expires_in": 3600,
        "expires_at": 4102444800, "refresh_token": "refresh",
        "user": {"id": user_id, "aud": "authenticated", "role": "authenticated", "email": email,
                 "app_metadata": {"provider": "email"}, "user_metadata": {},
                 "created_at": "2026-11-23T00:00:00Z"},
    }


@pytest.fixture
def supabase_env(monkeypatch):
    monkeypatch.setenv("SUPABASE_URL", SUPABASE_URL)
    monkeypatch.setenv("SUPABASE_ANON_KEY", "anon-test-key")


def _settings() -> Settings:
    return Settings(supabase_url=SUPABASE_URL, supabase_anon_key="anon-test-key", _env_file=None)


@respx.mock
def test_sign_in_returns_the_supabase_user():
    route = respx.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=_session("0b4f1e0e-0000-4000-8000-00000000000b", "b@example.com")))
    user = auth.sign_in(auth.new_auth_client(_settings()), "b@example.com", "secret-pw")
    assert user == auth.AppUser("0b4f1e0e-0000-4000-8000-00000000000b", "b@example.com")
    assert route.called and route.calls[0].request.headers["apikey"] == "anon-test-key"


@respx.mock
def test_wrong_password_is_an_auth_error_with_the_reason():
    respx.post(TOKEN_URL).mock(return_value=httpx.Response(
        400, json={"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}))
    with pytest.raises(auth.AuthError, match="Invalid login credentials"):
        auth.sign_in(auth.new_auth_client(_settings()), "b@example.com", "wrong-pw")


def test_bad_input_is_refused_before_any_request():
    with pytest.raises(auth.AuthError, match="valid email"):
        auth.sign_in(object(), "nobody", "secret-pw")
    with pytest.raises(auth.AuthError, match="at least 6"):
        auth.sign_in(object(), "b@example.com", "123")


def test_each_browser_session_gets_its_own_client():
    assert auth.new_auth_client(_settings()) is not auth.new_auth_client(_settings())


@respx.mock
def test_signed_in_user_sees_only_their_picks(supabase_env, app, pool, make_user, local_user):
    user_b = make_user("b@example.com")
    films = popular_ids(pool, 24)
    insert_picks(pool, local_user, films[:12], reason="local user's pick")
    insert_picks(pool, user_b, films[12:], reason="B's pick")
    respx.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=_session(user_b, "b@example.com")))

    app.run()
    assert not app.exception
    assert not [t for t in app.title if "Today's picks" in t.value]  # the form, not the app
    app.text_input(key="sign-in-email").set_value("b@example.com")
    app.text_input(key="sign-in-password").set_value("secret-pw")
    app.button[0].click().run()  # the form's submit button
    assert app.button(key="sign-out")
    assert not app.exception
    reasons = [m.value for m in app.markdown if "pick" in m.value]
    assert any("B&#x27;s pick" in r or "B's pick" in r for r in reasons)
    assert not any("local user" in r for r in reasons)
    assert app.session_state["cine_user"].id == user_b
    respx.post(f"{SUPABASE_URL}/auth/v1/logout").mock(return_value=httpx.Response(204))
    app.button(key="sign-out").click().run()
    assert not [m for m in app.markdown if "pick" in m.value]  # signed out: nobody's picks
    assert [t.value for t in app.title] in (["🎬 CineAI"], [])  # the sign-in form (or a page's sign-in notice)
    app.run()  # and later runs show nobody's picks, even if Streamlit runs a page file directly
    assert not app.exception
    assert not [m for m in app.markdown if "pick" in m.value]


def test_a_page_run_directly_without_sign_in_shows_nothing(supabase_env, app, pool, local_user):
    insert_picks(pool, local_user, popular_ids(pool, 12), reason="local user's pick")
    app.switch_page("pages/dashboard.py").run()
    assert not app.exception
    assert not [m for m in app.markdown if "pick" in m.value]
