"""The refresh queue: the only code that touches `recommendation_refresh_queue`.

Modelled on procrastinate (claim with `FOR UPDATE SKIP LOCKED`, one queued row per user via a partial
unique index) and pgmq (a lease instead of heartbeats: a job whose worker died becomes claimable again
when `locked_until` passes; `attempts` counts claims). A running worker extends its lease while a job
runs; a worker whose heartbeat stops is dead, and its jobs are put back at once (`release_orphans`).
Such an interruption is not a failure of the job: its failures are `attempts - interruptions`. A job
that kills its worker every time (a poison job) is given up after MAX_INTERRUPTIONS. The SQL lives in
`refresh_queue.sql`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql
from cine_core.domain.models import TriggerType

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "recommendation_refresh"
DEFAULT_LEASE_SECONDS = 60.0  # extended while the job runs; only matters if the extending worker dies
DEAD_AFTER_SECONDS = 15.0  # a worker whose heartbeat is older than this is dead (it beats every 3 s)
MAX_INTERRUPTIONS = 10  # a job whose worker died this often is a poison job: given up, not retried
BACKOFF_BASE_SECONDS = 30.0  # first retry delay; doubles per attempt
MAX_BACKOFF_SECONDS = 3600.0
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed refresh job; the claiming worker holds it until `locked_until`."""

    id: int
    user_id: str
    trigger_type: str
    attempts: int  # claims, including this one
    max_attempts: int
    created_at: datetime
    locked_until: datetime
    movie_id: int | None = None  # the film whose rating or chat triggered the refresh, if any
    interruptions: int = 0  # earlier claims that ended with their worker's death (not failures)
    deferrals: int = 0  # earlier claims that found the user locked by another scorer (user_lock)
    locked_by: str | None = None  # the worker holding the lease (checked again at commit: assert_lease)

    @property
    def failures(self) -> int:
        """Earlier claims that ended in an error of the job itself."""
        return self.attempts - 1 - self.interruptions


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Queue health for the Status page."""

    pending: int  # waiting, including those backing off
    due: int  # pending and claimable now
    running: int  # claimed with a live lease
    stale: int  # claimed, lease expired (worker died): claimable again
    failed: int  # gave up after max_attempts; see list_failed()
    oldest_pending_seconds: float | None


def _one(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql(__name__, name), params or {})
        return cur.fetchone() if cur.description else None


def _all(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql(__name__, name), params or {})
        return cur.fetchall()


def notify(conn: psycopg.Connection, user_id: str) -> None:
    """Wake listening workers (delivered when the caller's transaction commits)."""
    _one(conn, "notify", {"channel": NOTIFY_CHANNEL, "payload": str(user_id)})


def request_refresh(conn: psycopg.Connection, user_id: str, trigger_type: TriggerType | str,
                    movie_id: int | None = None) -> bool:
    """The one way to ask for a refresh of one user's picks; True if a new pending job was created.

    Works in a user transaction (the person's own picks only) and in a service transaction (any user).
    A pending job for the user absorbs the request (public.enqueue_refresh's one rule: a named film replaces
    the queued one, 'manual' upgrades the trigger). Manual requests are limited per person in the database
    (2 a minute, 20 an hour): one over the limit raises DataError through db.translate_errors.
    """
    row = _one(conn, "request_refresh", {"user_id": str(user_id), "trigger_type": str(TriggerType(trigger_type)),
                                         "movie_id": movie_id})
    return bool(row and row["created"])


def claim_next(
    conn: psycopg.Connection, worker_id: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS,
    dead_after_seconds: float = DEAD_AFTER_SECONDS, max_interruptions: int = MAX_INTERRUPTIONS,
) -> Job | None:
    """Claim the oldest due job (or one whose lease expired) for `worker_id`; None if nothing is due.

    Commit right after: the lease is only visible to other workers once committed. Jobs of dead
    workers are released first (release_orphans); jobs whose leases ran out `max_attempts` times are
    marked failed here rather than claimed again.
    """
    with conn.transaction():
        release_orphans(conn, dead_after_seconds=dead_after_seconds, max_interruptions=max_interruptions)
        with conn.cursor() as cur:
            cur.execute(load_sql(__name__, "fail_exhausted_leases"), {"max_interruptions": max_interruptions})
            if cur.rowcount:
                log.warning("Marked %d job(s) failed: their workers died too often", cur.rowcount)
        row = _one(conn, "claim_job", {"worker_id": worker_id, "lease_seconds": float(lease_seconds)})
    return Job(**row) if row else None


def release_orphans(
    conn: psycopg.Connection, *, dead_after_seconds: float = DEAD_AFTER_SECONDS,
    max_interruptions: int = MAX_INTERRUPTIONS,
) -> int:
    """Put back the running jobs of workers whose heartbeat stopped; returns how many.

    Not a failed attempt of the job: it is claimable again at once, without backoff, ahead of newer
    jobs. Its `max_interruptions`-th interruption marks it failed instead (a poison job that kills its
    worker every time), with an error that says so.
    """
    released = 0
    with conn.transaction():
        for orphan in _all(conn, "lock_orphaned_jobs", {"dead_after_seconds": float(dead_after_seconds)}):
            interruptions = orphan["interruptions"] + 1
            silent = f"worker {orphan['locked_by']} died while running this job (no heartbeat for " \
                     f"{orphan['silent_seconds']:.0f} s; interruption {interruptions}/{max_interruptions})"
            if interruptions >= max_interruptions:
                error = f"gave up: {silent}; the job may crash its worker every time"
                _one(conn, "mark_poison", {"job_id": orphan["id"], "error": error[:MAX_ERROR_CHARS]})
                log.error("Job %s for user %s failed for good: %s", orphan["id"], orphan["user_id"], error)
                continue
            _requeue_orphan(conn, orphan, interruptions, silent)
            log.warning("Job %s released: %s", orphan["id"], silent)
            released += 1
    return released


def _requeue_orphan(conn: psycopg.Connection, orphan: dict[str, Any], interruptions: int, error: str) -> None:
    """Back to pending, or folded into the user's newer pending job (the unique index allows one)."""
    for _ in range(2):  # a rating may insert a pending row between the check and the update
        pending = _one(conn, "lock_pending_for_user", {"user_id": orphan["user_id"]})
        if pending is not None:
            _one(conn, "merge_orphan_into_pending", {"pending_id": pending["id"], "attempts": orphan["attempts"],
                                                     "interruptions": interruptions})
            _one(conn, "delete_job", {"job_id": orphan["id"]})
            return
        try:
            with conn.transaction():
                _one(conn, "requeue_orphan", {"job_id": orphan["id"], "error": error})
            return
        except psycopg.errors.UniqueViolation:
            continue
    raise AssertionError("unreachable: the pending row vanished twice")  # pragma: no cover


def complete(conn: psycopg.Connection, job: Job, worker_id: str) -> bool:
    """Remove a finished job; False if this worker no longer held it (lease lost to another worker).

    If a newer request for the same user is waiting, listening workers are woken for it now rather
    than at their next poll.
    """
    with conn.transaction():
        row = _one(conn, "complete_job", {"job_id": job.id, "worker_id": worker_id})
        if row is None:
            log.warning("Job %s was no longer held by %s when it finished", job.id, worker_id)
            return False
        if _one(conn, "has_pending", {"user_id": job.user_id})["pending"]:
            notify(conn, job.user_id)
    return True


def backoff_seconds(
    attempts: int, *, base: float = BACKOFF_BASE_SECONDS, cap: float = MAX_BACKOFF_SECONDS
) -> float:
    """Delay before retry number `attempts` (1-based): base, 2·base, 4·base … capped."""
    return min(cap, base * 2 ** max(0, attempts - 1))


def fail(
    conn: psycopg.Connection,
    job: Job,
    worker_id: str,
    error: str,
    *,
    backoff_base: float = BACKOFF_BASE_SECONDS,
    max_backoff: float = MAX_BACKOFF_SECONDS,
) -> str:
    """Record a failed attempt. Returns what happened: 'retry', 'merged', 'failed' or 'lost'.

    'retry': back to pending after a backoff. 'merged': a newer pending job for the same user exists
    (the unique index allows only one), so this one is folded into it, carrying its attempt count.
    'failed': max_attempts reached; the row stays with last_error. 'lost': the lease had passed to
    another worker, nothing changed.
    """
    error = (error or "unknown error")[:MAX_ERROR_CHARS]
    with conn.transaction():
        own = _one(conn, "lock_own_job", {"job_id": job.id, "worker_id": worker_id})
        if own is None:
            log.warning("Job %s failed after its lease passed to another worker: %s", job.id, error)
            return "lost"
        failures = own["attempts"] - own["interruptions"]  # a worker's death is not the job's failure
        if failures >= own["max_attempts"]:
            _one(conn, "mark_failed", {"job_id": job.id, "error": error})
            log.error("Job %s for user %s failed for good after %d attempts: %s",
                      job.id, job.user_id, failures, error)
            return "failed"
        delay = backoff_seconds(failures, base=backoff_base, cap=max_backoff)
        # A trigger may insert a pending row between our check and the update: retry once via merge.
        for _ in range(2):
            pending = _one(conn, "lock_pending_for_user", {"user_id": job.user_id})
            if pending is not None:
                _one(conn, "merge_into_pending", {
                    "pending_id": pending["id"], "attempts": own["attempts"],
                    "interruptions": own["interruptions"], "error": error,
                    "delay_seconds": delay,
                })
                _one(conn, "delete_job", {"job_id": job.id})
                log.info("Job %s failed (%s); merged into pending job %s", job.id, error, pending["id"])
                return "merged"
            try:
                with conn.transaction():
                    _one(conn, "retry_later", {"job_id": job.id, "delay_seconds": delay, "error": error})
            except psycopg.errors.UniqueViolation:
                continue
            log.info("Job %s failed (attempt %d/%d), retrying in %.0f s: %s",
                     job.id, failures, own["max_attempts"], delay, error)
            return "retry"
    raise AssertionError("unreachable: the pending row vanished twice")  # pragma: no cover


def extend_lease(
    conn: psycopg.Connection, job: Job, worker_id: str, *, lease_seconds: float = DEFAULT_LEASE_SECONDS
) -> bool:
    """Push this worker's lease forward for a long job; False if the lease was already lost."""
    with conn.transaction():
        row = _one(conn, "extend_lease", {"job_id": job.id, "worker_id": worker_id, "lease_seconds": lease_seconds})
    return row is not None


def queue_stats(conn: psycopg.Connection) -> QueueStats:
    """Counts by state and the age of the oldest pending job."""
    return QueueStats(**_one(conn, "queue_stats"))


def seconds_until_next_job(conn: psycopg.Connection, *, dead_after_seconds: float = DEAD_AFTER_SECONDS
                           ) -> float | None:
    """0 if a job is claimable now, else seconds until one will be; None if the queue is empty."""
    return _one(conn, "next_due_in", {"dead_after_seconds": float(dead_after_seconds)})["seconds"]


def list_failed(conn: psycopg.Connection, *, limit: int = 20) -> list[dict[str, Any]]:
    """Failed jobs, newest first, with their last error."""
    return _all(conn, "list_failed", {"limit": limit})


def retry_failed(conn: psycopg.Connection) -> int:
    """Put failed jobs back in the queue (one per user); returns how many."""
    return len(_all(conn, "retry_failed"))
