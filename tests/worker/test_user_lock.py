"""A scheduled scout and a queue job for the same user never overlap, across two worker processes."""

from __future__ import annotations

import pytest

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from tests.cine_core.test_scout import popular_ids, rate
from tests.worker.lock_hooks import SCORE_LOG_SQL
from tests.worker.test_worker import scalar, wait_for

HOLD_SECONDS = "4"


def _score_log(pool) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute("select kind, pid, started_at, finished_at from test_score_log order by started_at"
                            ).fetchall()


@pytest.mark.parametrize("lock", [True, False], ids=["with-lock", "without-lock"])
def test_scout_and_queue_job_for_one_user_never_overlap(pool, db_url, local_user, workers, lock):
    """Worker B drains the queue; worker A runs a scheduled scout of the same user. While A scores the user,
    a rating's job arrives and B takes it at once. With the lock B's job starts only after A's scout ended;
    without it (tests/worker/hooked.py --no-user-lock) the two score the user at the same time — what the lock prevents."""
    rate(pool, local_user, popular_ids(pool, 4))
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
        conn.execute(SCORE_LOG_SQL)
    env = {"CINE_TEST_HOLD_SECONDS": HOLD_SECONDS}
    no_lock = () if lock else ("--no-user-lock",)
    workers(db_url, "--no-scout", "--poll-seconds", "0.5", "--job", "tests.worker.lock_hooks:slow_job", *no_lock, **env)
    wait_for(lambda: scalar(pool, "select count(*) from worker_heartbeat"), timeout=90, what="queue worker start")
    scout = workers(db_url, "--once", "--all", "--concurrency", "1",
                    "--scout", "tests.worker.lock_hooks:slow_scout", *no_lock, **env)
    wait_for(lambda: scalar(pool, "select count(*) from test_score_log where kind = 'scout'"), timeout=90,
             what="the scheduled scout to start scoring the user")
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, local_user, "new_rating")  # B is listening: it takes the job at once

    assert scout.proc.wait(timeout=90) == 0, scout.output()
    wait_for(lambda: scalar(pool, "select count(*) from test_score_log where kind = 'job' and finished_at is not null"),
             timeout=60, what="the queue job")
    wait_for(lambda: scalar(pool, "select count(*) from recommendation_refresh_queue") == 0, timeout=30,
             what="the job to complete")
    log = _score_log(pool)
    assert [row["kind"] for row in log] == ["scout", "job"]
    scout_row, job_row = log
    assert scout_row["pid"] != job_row["pid"]  # two processes
    overlapped = job_row["started_at"] < scout_row["finished_at"]
    assert overlapped is not lock, log
    # The job was not failed, whether it waited or not.
    assert scalar(pool, "select count(*) from recommendation_refresh_queue where status = 'failed'") == 0
