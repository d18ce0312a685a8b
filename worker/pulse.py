"""The worker's pulse: a side thread that keeps the heartbeat row moving and the leases of the jobs in
hand extended while they run, however long a job takes.

Without it a worker busy with one long job looked dead, and a job longer than its lease was taken by
a second worker. A worker that dies stops beating: every other worker's pulse releases its jobs
within DEAD_AFTER_SECONDS plus one beat (refresh_queue.release_orphans, on this timer: not only when a lane
is free to claim, which under load could take minutes). A job still running after `max_job_seconds` is
no longer extended (a hung job must not hold its user forever); its lease then runs out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.errors import CineError
from cine_core.jobs import job_lease, refresh_queue
from cine_core.jobs.heartbeat import Heartbeat
from cine_core.jobs.refresh_queue import Job

log = logging.getLogger(__name__)

MAX_JOB_SECONDS = 1800.0  # leases are extended this long at most; longer than any Claude retry chain


class Pulse:
    """Beats every `beat_seconds` (at least 3 times per lease) from a daemon thread while the worker runs."""

    def __init__(self, pool: ConnectionPool, heartbeat: Heartbeat, *, beat_seconds: float, lease_seconds: float,
                 max_job_seconds: float = MAX_JOB_SECONDS,
                 dead_after_seconds: float = refresh_queue.DEAD_AFTER_SECONDS,
                 max_interruptions: int = refresh_queue.MAX_INTERRUPTIONS) -> None:
        self._pool = pool
        self._heartbeat = heartbeat
        self._interval = max(0.05, min(beat_seconds, lease_seconds / 3))
        self._lease_seconds = lease_seconds
        self._max_job_seconds = max_job_seconds
        self._dead_after_seconds = dead_after_seconds
        self._max_interruptions = max_interruptions
        self._held: dict[int, tuple[Job, float]] = {}  # job id -> (job, monotonic start)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the side thread (idempotent)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="pulse", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    @contextmanager
    def holding(self, job: Job) -> Iterator[None]:
        """While the block runs, the job's lease is extended; it stops when the block ends."""
        self.start()
        with self._lock:
            self._held[job.id] = (job, time.monotonic())
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(job.id, None)

    def held_jobs(self) -> list[Job]:
        """The jobs in hand now (a stopping worker hands them back)."""
        with self._lock:
            return [job for job, _ in self._held.values()]

    def hand_back_all(self) -> int:
        """A stopping worker gives back every job still in hand (due again at once, not failures)."""
        handed = 0
        for job in self.held_jobs():
            try:
                with transaction(self._pool) as conn:
                    given = job_lease.hand_back(conn, job, self._heartbeat.worker_id)
            except CineError:  # the heartbeat stops with us: release_orphans hands it back instead
                log.exception("Could not hand back job %s", job.id)
                continue
            if given:
                handed += 1
                log.info("Job %s (user %s) handed back unfinished: the worker is stopping", job.id, job.user_id)
        return handed

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._heartbeat.beat(force=True)
            with self._lock:
                held = list(self._held.values())
            for job, started in held:
                self._extend(job, started)
            self._release_orphans()

    def _release_orphans(self) -> None:
        """Put back the jobs of dead workers now; listening workers are woken for them."""
        try:
            with transaction(self._pool) as conn:
                released = refresh_queue.release_orphans(conn, dead_after_seconds=self._dead_after_seconds,
                                                         max_interruptions=self._max_interruptions)
                if released:
                    refresh_queue.notify(conn, "released")
        except CineError as exc:  # the next beat tries again
            log.warning("Could not release dead workers' jobs: %s", exc)

    def _extend(self, job: Job, started: float) -> None:
        if time.monotonic() - started > self._max_job_seconds:
            log.error("Job %s has run for over %.0f s: its lease is no longer extended", job.id, self._max_job_seconds)
            with self._lock:
                self._held.pop(job.id, None)
            return
        try:
            with transaction(self._pool) as conn:
                kept = refresh_queue.extend_lease(conn, job, self._heartbeat.worker_id,
                                                  lease_seconds=self._lease_seconds)
        except CineError as exc:  # the next beat tries again; the lease has slack for a few misses
            log.warning("Could not extend the lease of job %s: %s", job.id, exc)
            return
        if not kept:
            with self._lock:
                ended = job.id not in self._held  # it finished while we extended it: nothing was lost
                self._held.pop(job.id, None)
            if not ended:
                log.warning("Job %s: lease lost to another worker (this worker was taken for dead)", job.id)
