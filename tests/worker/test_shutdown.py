"""SIGTERM: a worker exits within 2 s idle (even during its warm-up) and within 10 s busy, handing its job
back (#24.6). Real `python -m worker` processes."""

from __future__ import annotations

import signal
import time

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from tests.worker.test_worker import scalar, wait_for

FAST = ("--beat-seconds", "0.5", "--dead-after-seconds", "3", "--poll-seconds", "0.5")


def _stop_seconds(process) -> tuple[float, int]:
    started = time.monotonic()
    process.proc.send_signal(signal.SIGTERM)
    code = process.proc.wait(timeout=60)
    return time.monotonic() - started, code


def test_an_idle_worker_exits_within_two_seconds_even_while_warming_up(pool, db_url, workers):
    worker = workers(db_url, *FAST)
    wait_for(lambda: scalar(pool, "select count(*) from worker_heartbeat"), timeout=90, what="worker start")
    took, code = _stop_seconds(worker)
    print(f"\nidle SIGTERM exit: {took:.2f} s")
    assert code == 0, worker.output()
    assert took < 2.0, f"exit took {took:.1f} s"


def test_a_busy_worker_exits_within_ten_seconds_and_hands_its_job_back(job_log, db_url, local_user, workers):
    pool = job_log
    worker = workers(db_url, *FAST, "--no-scout", "--job", "tests.worker.hooks:slow", CINE_TEST_JOB_SECONDS="120")
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, local_user, "manual")
    wait_for(lambda: scalar(pool, "select count(*) from test_job_log where phase = 'started'"), timeout=90,
             what="the job to start")
    took, code = _stop_seconds(worker)
    print(f"\nbusy SIGTERM exit: {took:.2f} s")
    assert code == 0, worker.output()
    assert took < 10.0, f"exit took {took:.1f} s"
    with transaction(pool) as conn:
        rows = conn.execute("select status, attempts, locked_by from recommendation_refresh_queue").fetchall()
    assert rows == [{"status": "pending", "attempts": 0, "locked_by": None}]
    assert "handed back" in worker.output()


def test_a_dead_worker_s_jobs_are_retaken_by_a_busy_worker_within_twice_the_dead_after_time(
        job_log, db_url, make_user, workers):
    """#24.6: dead workers' jobs were released only when a lane claimed, so with busy lanes a retake took
    18-177 s; the pulse now releases them on its timer and the busy worker's next free lane takes them."""
    pool = job_log
    dead_after = 3.0
    args = ("--no-scout", "--beat-seconds", "0.5", "--dead-after-seconds", str(dead_after), "--poll-seconds", "1",
            "--concurrency", "2", "--lease-seconds", "120", "--job", "tests.worker.hooks:slow")
    users = [make_user() for _ in range(30)]
    with transaction(pool) as conn:
        for user in users:
            refresh_queue.request_refresh(conn, user, "manual")
    doomed = workers(db_url, *args, CINE_TEST_JOB_SECONDS="1")
    survivor = workers(db_url, *args, CINE_TEST_JOB_SECONDS="1")
    pid = doomed.proc.pid
    wait_for(lambda: scalar(pool, "select count(*) from test_job_log where pid = %s and phase = 'started'", (pid,)),
             timeout=90, what="the doomed worker to start a job")
    doomed.stop(signal.SIGKILL)
    killed_at = scalar(pool, "select clock_timestamp()")
    with pool.connection() as conn:
        held = [r["job_id"] for r in conn.execute(
            "select job_id from test_job_log where pid = %s and phase = 'started' and job_id not in"
            " (select job_id from test_job_log where phase = 'finished')", (pid,)).fetchall()]
    assert held
    wait_for(lambda: scalar(pool, "select count(*) from recommendation_refresh_queue") == 0, timeout=120,
             what="the queue to drain")
    with pool.connection() as conn:
        retakes = [(conn.execute("select min(at) as at from test_job_log where job_id = %s and phase = 'started'"
                                 " and pid <> %s", (job, pid)).fetchone()["at"] - killed_at).total_seconds()
                   for job in held]
    assert survivor.stop() == 0
    print(f"\nretake under load: {', '.join(f'{r:.1f}' for r in retakes)} s (dead after {dead_after:.0f} s)")
    assert max(retakes) <= 2 * dead_after, retakes
