"""The worker keeps a movie night's joint picks current: after a member's refresh job, an out-of-date list is
recomputed on the server, so the page never computes while it loads."""

from __future__ import annotations

from cine_core.app import actions
from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from cine_core.night import compute_pair
from tests.cine_core.night.conftest import couple  # noqa: F401 - fixture
from worker.jobs import build_handlers


def _pair_row(pool, pair_id: int) -> dict:
    with transaction(pool) as conn:
        return conn.execute("select stale_since, picks_computed_at from movie_night_pairs where id = %s",
                            (pair_id,)).fetchone()


def _joint_ids(pool, pair_id: int) -> list[int]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id from movie_night_picks where pair_id = %s", (pair_id,)).fetchall()
    return [r["movie_id"] for r in rows]


def test_a_members_refresh_job_recomputes_their_out_of_date_movie_night(pool, couple):  # noqa: F811
    settings = Settings()
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")  # the fixture's own history queued refreshes
    assert compute_pair(pool, couple.pair_id, default_region="US") == 12
    before = _pair_row(pool, couple.pair_id)
    seen_now = _joint_ids(pool, couple.pair_id)[0]
    actions.rate(pool, couple.sam, seen_now, 4.0)  # trigger: leaves the list, marks it stale, queues Sam's refresh
    assert _pair_row(pool, couple.pair_id)["stale_since"] is not None
    assert len(_joint_ids(pool, couple.pair_id)) == 11

    with transaction(pool) as conn:
        job = refresh_queue.claim_next(conn, "test-worker")
    assert job is not None and job.user_id == couple.sam
    build_handlers(settings, pool).refresh_job(job)

    after = _pair_row(pool, couple.pair_id)
    assert after["stale_since"] is None and after["picks_computed_at"] > before["picks_computed_at"]
    ids = _joint_ids(pool, couple.pair_id)
    assert len(ids) == 12 and seen_now not in ids
