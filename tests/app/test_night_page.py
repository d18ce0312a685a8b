"""The Movie night page: invite with a code, join with one, the joint picks with both reasons, end it."""

from __future__ import annotations

import pytest

from cine_core.app import actions
from cine_core.app import night as movie_night
from cine_core.app.auth import AppUser
from cine_core.config import get_settings
from cine_core.db import transaction
from cine_core.night import refresh_stale_pair
from tests.cine_core.night.conftest import (
    ALEX_DISMISSED,
    ALEX_RATED,
    ALEX_WATCHED,
    SAM_DISMISSED,
    SAM_RATED,
    SAM_WATCHED,
    give_history,
)
from ui.escape import as_text

SAM_FILMS = ("Collateral", "Interstellar", "The Prestige", "Arrival")
ALEX_FILMS = ("Heat", "The Dark Knight", "Se7en", "The Departed")


@pytest.fixture
def app(app, local_user, monkeypatch):
    """The page as a signed-in person sees it (Supabase Auth configured): personal mode offers no invite."""
    monkeypatch.setenv("SUPABASE_URL", "https://cine-test.supabase.co")
    monkeypatch.setenv("SUPABASE_ANON_KEY", "anon-test-key")
    get_settings.cache_clear()
    app.session_state["cine_user"] = AppUser(local_user, "alex@example.com")
    return app


def test_personal_mode_says_it_needs_two_accounts_and_offers_no_invite_code(app_env, local_user):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP_FILE, TIMEOUT_SECONDS

    personal = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT_SECONDS)
    personal.switch_page("pages/night.py").run()
    assert not personal.exception
    assert any("A movie night needs two people" in i.value and "Add a profile" in i.value for i in personal.info)
    assert not [b for b in personal.button if b.label in ("Create an invite code", "Join")]


def _button(app, label: str):
    return next(b for b in app.button if b.label == label)


def _titles(pool, ids) -> set[str]:
    with transaction(pool) as conn:
        return {r["title"] for r in conn.execute("select title from movies where id = any(%s)", (list(ids),))}


def _card_lines(app) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("<small>")]


def test_an_invite_accepted_by_a_friend_shows_joint_picks_with_each_persons_own_films(app, pool, local_user,
                                                                                    make_user):
    sam = make_user("sam@example.com")
    give_history(pool, local_user, ALEX_RATED, ALEX_WATCHED, ALEX_DISMISSED)
    give_history(pool, sam, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    app.switch_page("pages/night.py").run()
    assert not app.exception, [e.value for e in app.exception]
    app.text_input(key="night-invite-name").set_value("Alex")
    _button(app, "Create an invite code").click().run()
    code = next(s.value for s in app.success if "Your invite code" in s.value).split("**")[1]

    movie_night.accept_invite(pool, get_settings(), sam, code, "Sam")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.subheader] == ["You and Sam"]
    lines = _card_lines(app)
    assert len(lines) == 12
    seen = _titles(pool, {*ALEX_RATED, *SAM_RATED, ALEX_WATCHED, SAM_WATCHED, ALEX_DISMISSED, SAM_DISMISSED})
    links = [link.label for link in app.get("page_link")]
    assert len(links) >= 12 and not [t for t in seen if any(label.startswith(f"**{t}**") for label in links)]
    for line in lines:
        yours, theirs = line.removeprefix("<small>").removesuffix("</small>").split("<br>")
        assert yours.startswith("You ") and any(t in yours for t in ALEX_FILMS), yours
        assert theirs.startswith("Sam rated ") and any(t in theirs for t in SAM_FILMS), theirs

    _button(app, "End movie night").click().run()
    assert not app.exception
    assert any("has ended" in i.value for i in app.info)
    assert not _card_lines(app)


def test_joining_with_a_friends_code_pairs_you_and_a_wrong_code_says_so(app, pool, local_user, make_user):
    sam = make_user("sam@example.com")
    give_history(pool, local_user, ALEX_RATED, ALEX_WATCHED, ALEX_DISMISSED)
    give_history(pool, sam, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    code = movie_night.create_invite(pool, sam, "Sam")
    app.switch_page("pages/night.py").run()
    app.text_input(key="night-join-code").set_value("0000-0000-0000")
    app.text_input(key="night-join-name").set_value("Alex")
    _button(app, "Join").click().run()
    assert any("unknown, already used or expired" in e.value for e in app.error)
    app.text_input(key="night-join-code").set_value(code.lower())
    app.text_input(key="night-join-name").set_value("Alex")
    _button(app, "Join").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.subheader] == ["You and Sam"]
    assert len(_card_lines(app)) == 12
    assert all("Sam rated " in line for line in _card_lines(app))


def test_a_film_the_friend_rates_leaves_the_list_and_the_list_is_filled_again(app, pool, local_user, make_user):
    sam = make_user("sam@example.com")
    give_history(pool, local_user, ALEX_RATED, ALEX_WATCHED, ALEX_DISMISSED)
    give_history(pool, sam, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    movie_night.accept_invite(pool, get_settings(), sam, movie_night.create_invite(pool, local_user, "Alex"), "Sam")
    app.switch_page("pages/night.py").run()
    first = movie_night.load_movie_night(pool, get_settings(), local_user).picks[0].movie
    actions.rate(pool, sam, first.id, 3.5)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    links = [link.label for link in app.get("page_link") if link.label.startswith("**")]
    assert len(links) == 11 and not [label for label in links if label.startswith(f"**{first.title}**")]
    # The page computes nothing while it loads: the worker, after Sam's refresh, fills the list again.
    assert refresh_stale_pair(pool, sam, default_region=get_settings().default_region) == 12
    app.run()
    links = [link.label for link in app.get("page_link") if link.label.startswith("**")]
    assert len(links) == 12 and not [label for label in links if label.startswith(f"**{first.title}**")]
    assert refresh_stale_pair(pool, sam, default_region=get_settings().default_region) is None  # up to date


HOSTILE_NAME = "![](http://127.0.0.1:9/x.png) <b>Sam</b>"


def test_a_partners_name_is_shown_as_text_in_every_message(app, pool, local_user, make_user):
    """The join message, the heading, the caption, the reason lines and the 'has ended' note carry the
    partner's name as text: Markdown and HTML in it are escaped (tests/e2e/test_4 shows a browser fetches nothing)."""
    sam = make_user("sam@example.com")
    give_history(pool, local_user, ALEX_RATED, ALEX_WATCHED, ALEX_DISMISSED)
    give_history(pool, sam, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    code = movie_night.create_invite(pool, sam, HOSTILE_NAME)
    app.switch_page("pages/night.py").run()
    app.text_input(key="night-join-code").set_value(code)
    app.text_input(key="night-join-name").set_value("Alex")
    _button(app, "Join").click().run()
    assert not app.exception, [e.value for e in app.exception]
    shown = as_text(HOSTILE_NAME)
    assert "\\!\\[\\]\\(http" in shown and "&lt;b&gt;" in shown
    assert [s.value for s in app.success if "have a movie night" in s.value] == [
        f"You and {shown} have a movie night: here is what you could watch."]
    assert [s.value for s in app.subheader] == [f"You and {shown}"]
    assert any(c.value.startswith("Films neither") and f"{shown} sees this list" in c.value for c in app.caption)
    assert len(_card_lines(app)) == 12 and all(f"<br>{shown} rated " in line for line in _card_lines(app))
    _button(app, "End movie night").click().run()
    assert [i.value for i in app.info if "has ended" in i.value] == [f"Your movie night with {shown} has ended."]
    texts = [e.value for e in (*app.success, *app.subheader, *app.caption, *app.info, *app.markdown)]
    assert not [t for t in texts if "![](" in t or "<b>" in t]
