"""Worker heartbeats: one `worker_heartbeat` row per worker process, so the app can tell it is alive.

The SQL lives in `heartbeat.sql`.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time

from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, transaction

log = logging.getLogger(__name__)

BEAT_SECONDS = 3.0  # a side thread beats this often, even during a long job (see worker.pulse)
FORGET_DEAD_AFTER_DAYS = 7  # a worker unseen this long is forgotten (every restart adds a row)



def new_worker_id() -> str:
    """host-pid-random: unique across machines and restarts (a reused pid gets a new id)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class Heartbeat:
    """Keeps this worker's row current. Thread-safe; a failed write is logged, never raised."""

    def __init__(self, pool: ConnectionPool, worker_id: str | None = None, *, beat_seconds: float = BEAT_SECONDS):
        self.worker_id = worker_id or new_worker_id()
        self._pool = pool
        self._beat_seconds = beat_seconds
        self._last_beat = 0.0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Create (or reset) the row for this worker, and forget workers that have been gone for days."""
        self._write(load_sql(__name__, "upsert"), {"hostname": socket.gethostname(), "pid": os.getpid()})
        self._write(load_sql(__name__, "prune"), {"forget_days": FORGET_DEAD_AFTER_DAYS})

    def beat(self, *, force: bool = False) -> None:
        """Refresh last_seen, at most once per beat_seconds unless forced."""
        if force or time.monotonic() - self._last_beat >= self._beat_seconds:
            self._write(load_sql(__name__, "beat"), {})

    def job_finished(self, *, ok: bool) -> None:
        self._write(load_sql(__name__, "job_finished"), {"done": 1 if ok else 0, "failed": 0 if ok else 1})

    def scouted(self) -> None:
        self._write(load_sql(__name__, "scouted"), {})

    def _write(self, sql: str, params: dict) -> None:
        try:
            with self._lock, transaction(self._pool) as conn:
                conn.execute(sql, {"worker_id": self.worker_id, **params})
            self._last_beat = time.monotonic()
        except Exception:  # a missed beat must not stop the worker
            log.warning("Could not write the heartbeat of %s", self.worker_id, exc_info=True)
