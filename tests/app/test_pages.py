"""Onboarding, chat, library and status pages against the real database."""

from __future__ import annotations

from cine_core.db import transaction
from tests.app.conftest import queue_rows


def _rows(pool, sql: str, *args) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute(sql, args).fetchall()


def test_onboarding_lists_well_known_films_and_rating_one_counts(app, pool, local_user):
    app.switch_page("pages/onboarding.py").run()
    assert not app.exception
    assert "0 of 5 films rated" in app.get("progress")[0].proto.text
    first = next(b.key for b in app.button if b.key and b.key.startswith("onboard-rate-"))
    movie_id = int(first.rsplit("-", 1)[1])
    app.select_slider(key=f"onboard-stars-{movie_id}").set_value(3.5)
    app.button(key=first).click().run()
    assert [float(r["rating"]) for r in _rows(pool, "select rating from ratings where movie_id = %s", movie_id)] == [3.5]
    assert "1 of 5 films rated" in app.get("progress")[0].proto.text
    assert first not in {b.key for b in app.button}  # rated films leave the grid
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["new_rating"]
    title = _rows(pool, "select title from movies where id = %s", movie_id)[0]["title"]
    assert any(f"Rated {title}: ★★★½ 3.5" in t.value for t in app.toast)  # said where the person is looking


def test_a_card_rating_starts_empty_and_saving_nothing_says_so(app, pool, local_user):
    app.switch_page("pages/onboarding.py").run()
    first = next(b.key for b in app.button if b.key and b.key.startswith("onboard-rate-"))
    movie_id = int(first.rsplit("-", 1)[1])
    assert app.select_slider(key=f"onboard-stars-{movie_id}").value is None  # never a pre-set 4★
    app.button(key=first).click().run()
    assert not _rows(pool, "select 1 from ratings where user_id = %s", local_user)
    assert any("Slide to your stars first" in e.value for e in app.error)


def test_chat_stores_the_conversation_and_shows_what_was_learned(app, pool, local_user):
    app.switch_page("pages/chat.py").run()
    app.chat_input(key="chat-input").set_value(
        "I loved Inception, the epic visuals were amazing, but I want faster pacing").run()
    assert not app.exception, [e.value for e in app.exception]
    stored = _rows(pool, "select conversation_type, what_you_said, ai_learned from movie_conversations"
                         " where user_id = %s", local_user)
    assert len(stored) == 1 and "Inception" in stored[0]["what_you_said"]
    summary = stored[0]["ai_learned"]["summary"]
    assert summary
    assert any(f"**Learned:** {summary}" == m.value for m in app.markdown)
    if stored[0]["ai_learned"]["significance"] > 0.7:
        assert any("being refreshed" in s.value for s in app.success)
        assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["chat"]
    mentioned = [f for f in stored[0]["ai_learned"]["films"] if f.get("movie_id")]
    if mentioned:
        assert app.button(key=f"chat-up-{mentioned[0]['movie_id']}")


def test_empty_chat_message_is_rejected_with_a_message(app, pool, local_user):
    app.switch_page("pages/chat.py").run()
    app.chat_input(key="chat-input").set_value("   ").run()
    assert not app.exception
    assert any("Say something" in e.value for e in app.error)
    assert _rows(pool, "select 1 from movie_conversations") == []


def test_onboarding_never_says_more_rated_than_asked(app, pool, local_user):
    from cine_core.app import actions

    for movie_id in (603, 27205, 155, 680, 550, 13, 278, 238):
        actions.rate(pool, local_user, movie_id, 4.0)
    app.switch_page("pages/onboarding.py").run()
    assert app.get("progress")[0].proto.text == "8 films rated: enough to start"


def test_status_page_credits_tmdb_and_justwatch(app):
    app.switch_page("pages/status.py").run()
    assert not app.exception
    credits = " ".join(m.value for m in app.markdown)
    assert "This product uses the TMDB API but is not endorsed or certified by TMDB." in credits
    assert "[TMDB](https://www.themoviedb.org)" in credits
    assert "[JustWatch](https://www.justwatch.com)" in credits
