"""Wait for the first of: a NOTIFY on the refresh channel, a timeout, or a stop request."""

from __future__ import annotations

import logging
import threading
import time

import psycopg
import schedule
from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.errors import CineError
from cine_core.jobs import refresh_queue
from cine_core.jobs.refresh_queue import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

SLICE_SECONDS = 0.25  # how often a wait checks the stop flag
RECONNECT_SECONDS = 5.0  # after losing the LISTEN connection, poll only for this long before retrying
MIN_WAIT_SECONDS = 0.05  # never spin, even if the queue says a job is due now


def next_wait(pool: ConnectionPool, scheduler: schedule.Scheduler, *, poll_seconds: float,
              dead_after_seconds: float) -> float:
    """How long the loop may wait: the poll interval, or less if a scheduled task or a queued job is due."""
    wait = poll_seconds
    idle = scheduler.idle_seconds
    if idle is not None:
        wait = min(wait, max(0.0, idle))
    try:
        with transaction(pool) as conn:
            due_in = refresh_queue.seconds_until_next_job(conn, dead_after_seconds=dead_after_seconds)
    except CineError:
        due_in = None
    if due_in is not None:
        wait = min(wait, due_in)
    return max(MIN_WAIT_SECONDS, wait)


class Wakeup:
    """A dedicated autocommit connection that LISTENs; without it (or with listen=False) waits are plain sleeps."""

    def __init__(self, db_url: str, *, listen: bool = True) -> None:
        self._url = db_url
        self._listen = listen
        self._conn: psycopg.Connection | None = None
        self._retry_at = 0.0
        if listen:
            self._connect()

    @property
    def listening(self) -> bool:
        return self._conn is not None

    def _connect(self) -> None:
        try:
            conn = psycopg.connect(self._url, autocommit=True)
            conn.execute(f"listen {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            log.warning("Cannot LISTEN on %s (polling only for now): %s", NOTIFY_CHANNEL, exc)
            self._retry_at = time.monotonic() + RECONNECT_SECONDS
            return
        self._conn = conn

    def wait(self, timeout: float, stop: threading.Event) -> str:
        """Block up to `timeout` s; returns 'notify', 'timeout' or 'stop'."""
        deadline = time.monotonic() + max(0.0, timeout)
        while not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            step = min(SLICE_SECONDS, remaining)
            if self._conn is None:
                if self._listen and time.monotonic() >= self._retry_at:
                    self._connect()
                    continue
                stop.wait(step)
                continue
            try:
                if any(True for _ in self._conn.notifies(timeout=step, stop_after=1)):
                    self._swallow_burst()
                    return "notify"
            except psycopg.Error as exc:
                log.warning("LISTEN connection lost (%s); polling until it is back", exc)
                self.close()
                self._retry_at = time.monotonic() + RECONNECT_SECONDS
        return "stop"

    def _swallow_burst(self) -> None:
        """One drain handles a burst of notifications; don't wake once per rating."""
        assert self._conn is not None
        for _ in self._conn.notifies(timeout=0.01):
            pass

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
