"""The per-user scoring lock and what its losers do: a scout skips, a queue job waits or asks again."""

from __future__ import annotations

import threading
import time

from cine_core.db import transaction
from cine_core.jobs import refresh_queue, user_lock
from worker.jobs import locked_job, locked_scout


def _claimed_job(pool, user_id: str, movie_id: int | None = None) -> refresh_queue.Job:
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
        refresh_queue.request_refresh(conn, user_id, "new_rating", movie_id=movie_id)
    with transaction(pool) as conn:
        job = refresh_queue.claim_next(conn, "w1")
    assert job is not None
    return job


def test_one_holder_at_a_time_and_the_lock_is_released_after(pool, local_user, make_user):
    other = make_user()
    with user_lock.scoring_lock(pool, local_user) as first:
        with user_lock.scoring_lock(pool, local_user, wait_seconds=0.2) as second:
            assert (first, second) == (True, False)
        with user_lock.scoring_lock(pool, other) as someone_else:
            assert someone_else  # per user, not global
    with user_lock.scoring_lock(pool, local_user) as again:
        assert again


def test_a_scout_skips_a_user_being_scored(pool, local_user):
    seen: list[str] = []
    scout = locked_scout(pool, seen.append)
    with user_lock.scoring_lock(pool, local_user):
        scout(local_user)
    assert seen == []
    scout(local_user)
    assert seen == [local_user]


def test_a_job_waits_for_the_lock_then_runs(pool, local_user):
    job = _claimed_job(pool, local_user)
    ran: list[float] = []
    release = threading.Event()

    def hold() -> None:
        with user_lock.scoring_lock(pool, local_user):
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    locked_job(pool, lambda j: ran.append(time.monotonic()), wait_seconds=10)(job)
    holder.join()
    assert len(ran) == 1 and ran[0] - started >= 0.2


def test_a_job_that_cannot_get_the_lock_asks_again_without_a_failure(pool, local_user):
    job = _claimed_job(pool, local_user, movie_id=603)
    ran: list = []
    with user_lock.scoring_lock(pool, local_user):
        locked_job(pool, ran.append, wait_seconds=0.2, defer_seconds=30)(job)
    assert ran == []
    with transaction(pool) as conn:
        assert refresh_queue.complete(conn, job, "w1")  # the loop settles the deferred job as done
        rows = conn.execute("select status, trigger_type, movie_id, attempts, run_after > now() + interval '20 s'"
                            " as later from recommendation_refresh_queue").fetchall()
    assert rows == [{"status": "pending", "trigger_type": "new_rating", "movie_id": 603, "attempts": 0,
                     "later": True}]
