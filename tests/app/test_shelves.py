"""The dashboard's shelves below the picks: a Villeneuve deep dive, Halloween on 20 October, none in May."""

from __future__ import annotations

import time
from datetime import date

from cine_core.app import shelves
from cine_core.db import transaction

VILLENEUVE_LOVED = [329865, 335984, 438631, 273481]


def _rate(pool, user_id: str) -> None:
    with transaction(pool) as conn:
        for movie_id in VILLENEUVE_LOVED:
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 5)", (user_id, movie_id))


def _run_until_the_shelves_are_in(app) -> None:
    """The shelves are computed off the page run; the page redraws itself when they are in (here: run again)."""
    deadline = time.monotonic() + 90
    app.run()
    while any("Shelves for you are on their way" in c.value for c in app.caption):
        assert time.monotonic() < deadline, "the shelves never came"
        time.sleep(0.3)
        app.run()


def test_on_20_october_the_dashboard_shows_the_villeneuve_and_halloween_shelves(app, pool, local_user, monkeypatch):
    _rate(pool, local_user)
    monkeypatch.setattr(shelves, "today", lambda: date(2026, 10, 20))
    _run_until_the_shelves_are_in(app)
    assert not app.exception, [e.value for e in app.exception]
    headings = [s.value for s in app.subheader]
    assert "Since you loved Denis Villeneuve…" in headings and "🎃 Halloween is coming" in headings
    text = "\n".join(m.value for m in app.markdown)
    assert "Directed by Denis Villeneuve, like" in text and "/film?id=" in text


def test_in_may_there_is_no_seasonal_shelf(app, pool, local_user, monkeypatch):
    monkeypatch.setattr(shelves, "today", lambda: date(2026, 5, 20))
    _run_until_the_shelves_are_in(app)
    assert not app.exception
    assert not [s.value for s in app.subheader if "Halloween" in s.value or "Since you loved" in s.value]
