"""A worker that lost its lease cannot store picks (#24.5): the quick refresh checks the lease in the
transaction that stores them."""

from __future__ import annotations

import pytest

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.jobs import job_lease, refresh_queue
from tests.cine_core.test_scout import popular_ids, rate, stored_picks
from worker.jobs import build_handlers


def _claimed(pool, user: str, worker: str) -> refresh_queue.Job:
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, user, "new_rating")
        job = refresh_queue.claim_next(conn, worker)
    assert job is not None and job.locked_by == worker
    return job


def test_a_stale_worker_s_refresh_stores_nothing_and_a_live_one_stores_picks(pool, local_user):
    rate(pool, local_user, popular_ids(pool, 5))
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    handlers = build_handlers(Settings(_env_file=None), pool, user_lock=False)
    stale = _claimed(pool, local_user, "stale")
    with transaction(pool) as conn:  # taken for dead (SIGSTOP): another worker holds the job now
        conn.execute("update recommendation_refresh_queue set locked_by = 'fresh' where id = %s", (stale.id,))
    with pytest.raises(job_lease.LeaseLost):
        handlers.refresh_job(stale)
    assert stored_picks(pool, local_user) == []
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    handlers.refresh_job(_claimed(pool, local_user, "live"))
    assert stored_picks(pool, local_user)
