"""The sidebar's household profiles in the running app (AppTest): add, switch, each with its own ratings."""

from __future__ import annotations

import pytest
from streamlit import config as streamlit_config

from cine_core.db import transaction
from tests.app.conftest import TIMEOUT_SECONDS


def _sidebar_panel() -> None:
    """The sidebar's account panel alone (AppTest reruns of a page run the page file without app.py)."""
    from ui import context
    from ui.auth_panel import render_account, signed_in_user

    context.st.session_state[context.NAVIGATION_READY] = True
    render_account(signed_in_user(context.get_settings()))


@pytest.fixture
def panel(app_env):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_function(_sidebar_panel, default_timeout=TIMEOUT_SECONDS)


@pytest.fixture
def listen_on():
    def _set(address: str | None) -> None:
        streamlit_config.set_option("server.address", address)

    yield _set
    streamlit_config.set_option("server.address", None)


def test_on_localhost_a_profile_is_added_by_name_and_switched_to(panel, pool, listen_on, local_user):
    listen_on("127.0.0.1")
    app = panel.run()
    assert not app.exception, [e.value for e in app.exception]
    app.text_input(key="profile-new-name").set_value("Sam")
    app.button(key="profile-add").click().run()
    assert not app.exception, [e.value for e in app.exception]
    sam = app.session_state["cine_user"]
    assert sam.name == "Sam" and sam.id != local_user
    assert app.selectbox(key="profile-choice").value == sam.id
    app.selectbox(key="profile-choice").set_value(local_user).run()
    assert app.session_state["cine_user"].id == local_user
    with transaction(pool) as conn:
        assert conn.execute("select name from household_profiles").fetchall() == [{"name": "Sam"}]


def test_beyond_localhost_adding_a_profile_asks_a_password(panel, listen_on, local_user):
    listen_on("0.0.0.0")
    app = panel.run()
    app.text_input(key="profile-new-name").set_value("Ana")
    app.text_input(key="profile-new-password").set_value("short")
    app.button(key="profile-add").click().run()
    assert any("at least 8" in e.value for e in app.error)
    app.text_input(key="profile-new-password").set_value("long enough")
    app.button(key="profile-add").click().run()
    assert app.session_state["cine_user"].name == "Ana"
    ana, me = app.session_state["cine_user"].id, local_user
    app.selectbox(key="profile-choice").set_value(me).run()
    app.button(key="profile-switch").click().run()  # the first profile is open, as personal mode always was
    assert app.session_state["cine_user"].id == me
    app.selectbox(key="profile-choice").set_value(ana).run()
    app.text_input(key="profile-password").set_value("nope")
    app.button(key="profile-switch").click().run()
    assert any("Wrong password for Ana" in e.value for e in app.error)
    assert app.session_state["cine_user"].id == me
    app.text_input(key="profile-password").set_value("long enough")
    app.button(key="profile-switch").click().run()
    assert app.session_state["cine_user"].id == ana


def test_beyond_localhost_the_chooser_follows_a_newly_added_profile(panel, listen_on, local_user):
    """Seen at 1440x900 with HOST=0.0.0.0: the profile was added and the session became it, but 'Who's
    watching?' still showed the profile chosen before (and offered a password box to switch to it)."""
    listen_on("0.0.0.0")
    app = panel.run()
    for name in ("Ana", "Bo"):
        app.text_input(key="profile-new-name").set_value(name)
        app.text_input(key="profile-new-password").set_value("long enough")
        app.button(key="profile-add").click().run()
        assert not app.exception, [e.value for e in app.exception]
        user = app.session_state["cine_user"]
        assert user.name == name
        assert app.selectbox(key="profile-choice").value == user.id, f"the chooser shows {name}"
        assert not [t for t in app.text_input if t.key == "profile-password"], "no password asked for oneself"

