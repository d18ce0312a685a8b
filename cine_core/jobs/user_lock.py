"""One scorer per user at a time: a per-user advisory lock held by whoever scores the user.

A scheduled scout and a queue job (quick refresh) for the same person used to run at once in two
workers (or two lanes of one), both reading the same profile and both paying Claude. Whoever scores a
user now holds a session advisory lock on the user id for the whole scoring, on a pool connection of
its own. The scheduled scout does not wait: the loser skips that user (the queue job refreshes them).
A queue job waits briefly for the lock and otherwise puts its request back in the queue
(job_lease.defer), which is not a failed attempt. The lock dies with its connection, so a killed
worker never leaves a user locked. The SQL lives in `user_lock.sql`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, translate_errors

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1


@contextlib.contextmanager
def scoring_lock(pool: ConnectionPool, user_id: str, *, wait_seconds: float = 0.0,
                 poll_seconds: float = POLL_SECONDS, worker_id: str | None = None,
                 dead_after_seconds: float | None = None) -> Iterator[bool]:
    """Yield True while this caller holds `user_id`'s scoring lock, False if another holder kept it for
    `wait_seconds` (0: one try). The caller must not score the user when it gets False.

    With `worker_id`, the lock's session is named after the worker; with `dead_after_seconds` too, a
    holder whose worker's heartbeat is older than that is evicted (its session ended) once the wait is up.
    """
    with translate_errors(), pool.connection() as conn:
        conn.autocommit = True  # a session lock outlives transactions; no transaction stays open meanwhile
        try:
            if worker_id:
                conn.execute(load_sql(__name__, "name_session"), {"name": f"cine-worker {worker_id}"})
            held = _acquire(conn, str(user_id), wait_seconds, poll_seconds)
            if not held and dead_after_seconds is not None and _evict_dead_holder(conn, str(user_id),
                                                                                  dead_after_seconds):
                held = _acquire(conn, str(user_id), max(1.0, 10 * poll_seconds), poll_seconds)
            try:
                yield held
            finally:
                if held:
                    _release(conn, str(user_id))
        finally:
            if not conn.closed:
                if worker_id:
                    conn.execute(load_sql(__name__, "unname_session"))
                conn.autocommit = False


def _acquire(conn, user_id: str, wait_seconds: float, poll_seconds: float) -> bool:
    deadline = time.monotonic() + max(0.0, wait_seconds)
    while True:
        if conn.execute(load_sql(__name__, "try_lock"), {"user_id": user_id}).fetchone()["held"]:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll_seconds)


def _evict_dead_holder(conn, user_id: str, dead_after_seconds: float) -> bool:
    rows = conn.execute(load_sql(__name__, "evict_dead_holder"),
                        {"user_id": user_id,
                         "dead_after_seconds": float(dead_after_seconds)}).fetchall()
    for row in rows:
        log.warning("User %s: ended the scoring-lock session of %s (its worker stopped beating)", user_id,
                    row["holder"])
    return any(row["evicted"] for row in rows)


def _release(conn, user_id: str) -> None:
    try:
        released = conn.execute(load_sql(__name__, "unlock"), {"user_id": user_id}).fetchone()["released"]
    except Exception:  # the connection broke: closing it drops the lock with the session
        log.warning("Could not release the scoring lock of user %s; closing its connection", user_id,
                    exc_info=True)
        conn.close()
        raise
    if not released:  # pragma: no cover - would mean the session lost the lock without closing
        log.error("The scoring lock of user %s was not held at release", user_id)
