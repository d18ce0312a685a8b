"""The worker's scout with the catalog ranker, on a real Postgres and the offline catalog: what the dashboard
shows is the ranker's order over the whole catalog, never a film the person rated or watched."""

from __future__ import annotations

import pytest

from cine_core.config import Settings
from cine_core.db import load_sql, transaction
from cine_core.recommend import pipeline
from cine_core.recommend.ranker.rank import MAX_CONFIDENCE, CatalogRanker

CRIME = {"Heat": 949, "Collateral": 1538, "The Departed": 1422, "Inside Man": 388, "The Town": 23168,
         "Prisoners": 146233}


@pytest.fixture
def ctx(pool, db_url):
    return pipeline.build_scout_context(Settings(_env_file=None, database_url=db_url), pool)


def shown(pool, user_id: str) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute(
            "select movie_id, confidence, reason, position, below_threshold from recommendations where user_id = %s"
            " order by position nulls last, confidence desc, movie_id", (user_id,)).fetchall()


def test_picks_are_stored_in_the_rankers_order_and_never_a_seen_film(pool, local_user, ctx):
    with transaction(pool) as conn:
        for movie_id in CRIME.values():
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 5)", (local_user, movie_id))
        conn.execute("insert into watchlist (user_id, movie_id, watched_at) values (%s, 155, now())", (local_user,))
    assert ctx.ranker is not None
    pipeline.scout_user(ctx, local_user)
    picks = shown(pool, local_user)
    assert len(picks) >= 12
    assert [p["position"] for p in picks] == list(range(1, len(picks) + 1))
    ids = [p["movie_id"] for p in picks]
    assert not set(ids) & (set(CRIME.values()) | {155})
    assert all(0 < float(p["confidence"]) <= MAX_CONFIDENCE for p in picks)
    assert any("which you rated 5★" in p["reason"] for p in picks[:12])
    from cine_core.app import dashboard

    with transaction(pool) as conn:
        dash = conn.execute(load_sql(dashboard.__name__, "picks"), {"user_id": local_user, "limit": 12}).fetchall()
    assert [r["id"] for r in dash] == ids[:12]


def test_a_person_who_only_logged_watches_gets_picks(pool, local_user, ctx):
    with transaction(pool) as conn:
        for movie_id in CRIME.values():
            conn.execute("insert into watchlist (user_id, movie_id, watched_at) values (%s, %s, now())",
                         (local_user, movie_id))
    result = pipeline.scout_user(ctx, local_user)
    assert result.picks + result.below_threshold >= 12
    assert not {p["movie_id"] for p in shown(pool, local_user)} & set(CRIME.values())


def test_switching_collaborative_off_uses_the_content_weights(monkeypatch):
    monkeypatch.setenv("CINE_COLLABORATIVE", "0")
    ranker = CatalogRanker()
    assert ranker.neighbours is None
    assert not any(f.startswith("collaborative") for f in ranker.weights.watch.features)
    assert ranker.rank([], limit=3)
