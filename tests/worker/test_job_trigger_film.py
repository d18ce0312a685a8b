"""A queue job hands the film that triggered it (the queue's movie_id) to the quick refresh (#18)."""

from __future__ import annotations

from datetime import UTC, datetime

from cine_core.config import Settings
from cine_core.jobs.refresh_queue import Job
from cine_core.recommend import pipeline
from worker.jobs import build_handlers


def test_the_quick_refresh_gets_the_triggering_film(pool, local_user, monkeypatch):
    calls: list[tuple[str, dict]] = []
    monkeypatch.setattr(pipeline, "build_scout_context", lambda settings, pool: "ctx")
    monkeypatch.setattr(pipeline, "scout_user", lambda ctx, user_id, **kw: calls.append((user_id, kw)))
    handlers = build_handlers(Settings(_env_file=None), pool)
    now = datetime.now(UTC)
    handlers.refresh_job(Job(id=1, user_id=local_user, trigger_type="new_rating", attempts=1, max_attempts=5,
                             created_at=now, locked_until=now, movie_id=603))
    handlers.scout_user(local_user)
    assert calls == [(local_user, {"quick": True, "manual": False, "movie_id": 603, "before_store": None}), (local_user, {})]
