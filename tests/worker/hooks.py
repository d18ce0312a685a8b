"""Job-handler factories for worker subprocess tests (`python -m tests.worker.hooked --job tests.worker.hooks:<name>`).

Each records what it did in `test_job_log`, which the test creates, so a test can see every job a
worker process ran. CINE_TEST_JOB_SECONDS sets how long a job takes.
"""

from __future__ import annotations

import os
import signal
import time

from cine_core.db import transaction

LOG_TABLE_SQL = """
create table if not exists test_job_log (
  job_id bigint not null, user_id uuid not null, pid int not null, phase text not null,
  at timestamptz not null default clock_timestamp())
"""


def _seconds() -> float:
    return float(os.environ.get("CINE_TEST_JOB_SECONDS", "0.01"))


def _log(pool, job, phase: str) -> None:
    with transaction(pool) as conn:
        conn.execute("insert into test_job_log (job_id, user_id, pid, phase) values (%s, %s, %s, %s)",
                     (job.id, job.user_id, os.getpid(), phase))


def record(pool, default):
    """Take CINE_TEST_JOB_SECONDS, then log 'done' (the real refresh is not run)."""

    def handle(job) -> None:
        time.sleep(_seconds())
        _log(pool, job, "done")

    return handle


def slow(pool, default):
    """Log 'started', take CINE_TEST_JOB_SECONDS, log 'finished' (no refresh: starts fast)."""

    def handle(job) -> None:
        _log(pool, job, "started")
        time.sleep(_seconds())
        _log(pool, job, "finished")

    return handle


def fail_listed_users(pool, default):
    """Raise for users in CINE_TEST_FAIL_USERS (comma-separated); run the real refresh for the others."""
    failing = set(filter(None, os.environ.get("CINE_TEST_FAIL_USERS", "").split(",")))

    def handle(job) -> None:
        if job.user_id in failing:
            raise RuntimeError(f"hook exploded for {job.user_id}")
        default(job)
        _log(pool, job, "done")

    return handle


def crash(pool, default):
    """Log 'started', then SIGKILL the worker itself: a poison job that takes its worker down every time."""

    def handle(job) -> None:
        _log(pool, job, "started")
        os.kill(os.getpid(), signal.SIGKILL)

    return handle
