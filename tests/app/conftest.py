"""AppTest fixtures: the app runs in-process against the test's fresh database (DATABASE_URL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from cine_core.config import PROJECT_ROOT, get_settings
from cine_core.db import transaction
from ui.context import close_pools

APP_FILE = str(PROJECT_ROOT / "app.py")
TIMEOUT_SECONDS = 30


@pytest.fixture
def app_env(db_url, monkeypatch):
    """Point the app at this test's database; settings and the cached pool start fresh."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    get_settings.cache_clear()
    close_pools()
    yield db_url
    close_pools()
    get_settings.cache_clear()


@pytest.fixture
def app(app_env):
    """A fresh AppTest of app.py (not yet run)."""
    return AppTest.from_file(APP_FILE, default_timeout=TIMEOUT_SECONDS)


def insert_picks(pool, user_id: str, movie_ids: list[int], *, age: timedelta = timedelta(minutes=12),
                 reason: str = "Because you loved {title}", source: str = "similar_to_rated") -> None:
    """Store picks the way the worker does (service transaction), newest confidence first."""
    generated_at = datetime.now(UTC) - age
    with transaction(pool) as conn:
        for rank, movie_id in enumerate(movie_ids):
            title = conn.execute("select title from movies where id = %s", (movie_id,)).fetchone()["title"]
            conn.execute(
                "insert into recommendations (user_id, movie_id, score, reason, discovery_source, confidence,"
                " matcher, generated_at) values (%s, %s, %s, %s, %s, %s, 'local', %s)",
                (user_id, movie_id, 1.0 - rank / 100, reason.format(title=title), source,
                 round(0.95 - rank * 0.01, 2), generated_at),
            )


def popular_ids(pool, n: int, offset: int = 0) -> list[int]:
    with transaction(pool) as conn:
        rows = conn.execute("select id from movies order by popularity desc limit %s offset %s", (n, offset))
        return [r["id"] for r in rows.fetchall()]


def queue_rows(pool, user_id: str) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute(
            "select trigger_type, status from recommendation_refresh_queue where user_id = %s", (user_id,)
        ).fetchall()
