"""Workers killed with SIGKILL mid-job, one worker restarted each time (real processes, real Postgres):
no refresh lost, none run twice to completion, each retaken within 2x the lease, and no kill counted as
a failure of the job. A job that kills its worker every time ends failed, saying so."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from tests.worker.test_worker import run_worker, scalar, wait_for

DEAD_AFTER_SECONDS = 1.0
# One lane: each kill interrupts exactly the job it aims at. With the default 4 lanes a kill interrupts every
# job in flight, and 20 kills spread over 10 jobs push some past MAX_INTERRUPTIONS (given up as poison).
FAST = ("--no-scout", "--poll-seconds", "0.1", "--beat-seconds", "0.2", "--concurrency", "1",
        "--dead-after-seconds", str(DEAD_AFTER_SECONDS))


def _started(pool, pid: int) -> list[int]:
    with pool.connection() as conn:
        rows = conn.execute("select job_id from test_job_log where pid = %s and phase = 'started' order by at",
                            (pid,)).fetchall()
    return [r["job_id"] for r in rows]


def kill_cycle(pool, db_url, workers, users, *, kills_per_job: int, lease: float, job_seconds: float = 1.0):
    """Kill the worker as soon as it starts a job killed fewer than kills_per_job times; restart it.

    Returns (kills, retake seconds per kill: from the kill to the job's next start, on the database clock).
    """
    with transaction(pool) as conn:
        for user in users:
            refresh_queue.request_refresh(conn, user, "manual")
    args = (*FAST, "--lease-seconds", str(lease), "--job", "tests.worker.hooks:slow")
    killed: Counter[int] = Counter()
    kills: list[tuple[int, object]] = []  # (job id, database time of the kill)
    while sum(killed.values()) < kills_per_job * len(users):
        worker = workers(db_url, *args, CINE_TEST_JOB_SECONDS=str(job_seconds))

        def victim(worker=worker) -> int | None:
            return next((j for j in _started(pool, worker.proc.pid) if killed[j] < kills_per_job), None)

        job_id = wait_for(victim, timeout=60, interval=0.02, what="a job to kill")
        worker.stop(signal.SIGKILL)
        kills.append((job_id, scalar(pool, "select clock_timestamp()")))
        killed[job_id] += 1
        (attempts, interruptions), = _attempts(pool, job_id)  # still queued; the kill is no failure
        assert attempts - interruptions == 1, (attempts, interruptions)
    final = workers(db_url, *args, CINE_TEST_JOB_SECONDS=str(job_seconds))
    wait_for(lambda: scalar(pool, "select count(*) from recommendation_refresh_queue") == 0, timeout=60,
             what="the queue to drain")
    assert final.stop() == 0, final.output()
    return kills, _retake_seconds(pool, kills)


def _attempts(pool, job_id: int):
    with pool.connection() as conn:
        rows = conn.execute("select attempts, interruptions from recommendation_refresh_queue where id = %s",
                            (job_id,)).fetchall()
    return [(r["attempts"], r["interruptions"]) for r in rows]


def _retake_seconds(pool, kills) -> list[float]:
    retakes = []
    with pool.connection() as conn:
        for job_id, killed_at in kills:
            row = conn.execute("select min(at) as at from test_job_log where job_id = %s and phase = 'started'"
                               " and at > %s", (job_id, killed_at)).fetchone()
            assert row["at"] is not None, f"job {job_id} was never retaken after its kill"
            retakes.append((row["at"] - killed_at).total_seconds())
    return retakes


def assert_nothing_lost_or_doubled(pool, users) -> None:
    with pool.connection() as conn:
        finished = conn.execute("select user_id::text as user_id, count(*) as n from test_job_log"
                                " where phase = 'finished' group by user_id").fetchall()
        failed = conn.execute("select count(*) as n from recommendation_refresh_queue"
                              " where status = 'failed'").fetchone()["n"]
    assert {r["user_id"]: r["n"] for r in finished} == {user: 1 for user in users}  # 0 lost, 0 doubled
    assert failed == 0


def test_a_killed_job_is_retaken_in_seconds_though_its_lease_is_long(job_log, db_url, local_user, workers):
    pool = job_log
    kills, retakes = kill_cycle(pool, db_url, workers, [local_user], kills_per_job=3, lease=60)
    assert len(kills) == 3
    assert max(retakes) < 10, retakes  # the heartbeat, not the 60 s lease, decides
    assert_nothing_lost_or_doubled(pool, [local_user])


@pytest.mark.slow
def test_twenty_sigkills_mid_job_lose_nothing_and_each_job_is_retaken_within_twice_the_lease(
        job_log, db_url, make_user, workers):
    pool = job_log
    lease = 5.0  # short; a restart under a loaded machine (Python start-up) takes most of a retake
    users = [make_user() for _ in range(10)]
    started = time.monotonic()
    kills, retakes = kill_cycle(pool, db_url, workers, users, kills_per_job=2, lease=lease)
    assert len(kills) == 20
    assert max(retakes) < 2 * lease, retakes
    assert_nothing_lost_or_doubled(pool, users)
    print(f"\n20 SIGKILLs: retake median {sorted(retakes)[10]:.2f} s, max {max(retakes):.2f} s "
          f"(lease {lease:.0f} s); whole run {time.monotonic() - started:.1f} s")


def test_a_job_that_kills_its_worker_every_time_ends_failed_and_says_so(job_log, db_url, local_user):
    pool = job_log
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, local_user, "manual")
    for _ in range(3):
        run = run_worker(db_url, *FAST, "--once", "--max-interruptions", "3", "--job", "tests.worker.hooks:crash")
        assert run.returncode == -signal.SIGKILL, run.stderr
        time.sleep(DEAD_AFTER_SECONDS + 0.3)
    done = run_worker(db_url, *FAST, "--once", "--max-interruptions", "3", "--job", "tests.worker.hooks:crash")
    assert done.returncode == 0, done.stderr
    with pool.connection() as conn:
        row = conn.execute("select status, attempts, interruptions, last_error from recommendation_refresh_queue"
                           ).fetchone()
    assert (row["status"], row["attempts"], row["interruptions"]) == ("failed", 3, 3)
    assert "crash its worker" in row["last_error"]
    assert scalar(pool, "select count(*) from test_job_log where phase = 'started'") == 3
