"""Handler factories for the scoring-lock tests (`--job` / `--scout tests.worker.lock_hooks:<name>`, tests/worker/hooked.py).

Each records when it started and finished scoring a user in `test_score_log` (created by the test), holding
the user for CINE_TEST_HOLD_SECONDS; the real refresh is not run.
"""

from __future__ import annotations

import os
import time

from cine_core.db import transaction

SCORE_LOG_SQL = """
create table if not exists test_score_log (
  id bigserial primary key, kind text not null, user_id uuid not null, pid int not null,
  started_at timestamptz not null default clock_timestamp(), finished_at timestamptz)
"""


def _hold(pool, kind: str, user_id: str) -> None:
    with transaction(pool) as conn:
        row = conn.execute("insert into test_score_log (kind, user_id, pid) values (%s, %s, %s) returning id",
                           (kind, user_id, os.getpid())).fetchone()
    time.sleep(float(os.environ.get("CINE_TEST_HOLD_SECONDS", "1")))
    with transaction(pool) as conn:
        conn.execute("update test_score_log set finished_at = clock_timestamp() where id = %s", (row["id"],))


def slow_job(pool, default):
    """A queue job that scores its user for CINE_TEST_HOLD_SECONDS."""
    return lambda job: _hold(pool, "job", job.user_id)


def slow_scout(pool, default):
    """A scheduled scout that scores its user for CINE_TEST_HOLD_SECONDS."""
    return lambda user_id: _hold(pool, "scout", user_id)
