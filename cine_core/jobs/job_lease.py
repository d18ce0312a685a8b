"""What a worker may do with a refresh job it holds, besides completing or failing it (refresh_queue.py):
prove it still holds it when storing results, put it off while the user is locked elsewhere, hand it back
when stopping. The SQL lives in `refresh_queue.sql`.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql
from cine_core.domain.errors import CineError
from cine_core.jobs.refresh_queue import Job

log = logging.getLogger(__name__)

MAX_DEFERRALS = 12  # lock waits (10 s each, 5 s apart) before a job is failed visibly: ~3 min of a locked user


def _query(conn: psycopg.Connection, name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql("cine_core.jobs.refresh_queue", name), params)
        return cur.fetchone() if cur.description else None


class LeaseLost(CineError):
    """This worker no longer holds the job (it was taken for dead): its results must not be stored."""


def assert_lease(conn: psycopg.Connection, job: Job) -> None:
    """Raise LeaseLost unless `job.locked_by` still holds the job; call inside the transaction that stores
    the job's results, so a worker taken for dead (SIGSTOP, a long pause) cannot commit them afterwards.
    The row stays share-locked until that transaction ends, so the lease cannot pass on meanwhile."""
    if _query(conn, "assert_lease", {"job_id": job.id, "worker_id": job.locked_by}) is None:
        raise LeaseLost(f"job {job.id}: the lease of {job.locked_by} was lost; results not stored")


class JobGivenUp(CineError):
    """The job was settled as failed where it stood (defer: the user stayed locked); do not settle it again."""


def defer(conn: psycopg.Connection, job: Job, *, delay_seconds: float,
          max_deferrals: int = MAX_DEFERRALS) -> None:
    """Ask again in `delay_seconds` for what `job` asked (its user, trigger and film), as a new pending job
    or folded into the user's pending one; not a failed attempt. The caller then completes `job`.

    Raises JobGivenUp instead when the job was already deferred `max_deferrals` times: it is marked
    failed (the user stayed locked, e.g. by a hung worker), visible on the Status page; commit the
    transaction and do not settle the job again.
    """
    deferrals = job.deferrals + 1
    if deferrals >= max_deferrals:
        error = (f"gave up after {deferrals} waits for the user's scoring lock (another worker kept it; "
                 "a hung worker?)")
        _query(conn, "mark_deferred_too_often", {"job_id": job.id, "worker_id": job.locked_by, "error": error})
        raise JobGivenUp(f"job {job.id} for user {job.user_id}: {error}")
    params = {"user_id": job.user_id, "trigger_type": job.trigger_type, "movie_id": job.movie_id}
    _query(conn, "enqueue_later", {**params, "delay_seconds": float(delay_seconds)})
    _query(conn, "carry_counts", {"user_id": job.user_id, "deferrals": deferrals, "interruptions": job.interruptions})


def hand_back(conn: psycopg.Connection, job: Job, worker_id: str) -> bool:
    """A stopping worker gives a running job back: asked for again at once, not a failure; False if it
    no longer held the job."""
    with conn.transaction():
        if _query(conn, "drop_own_job", {"job_id": job.id, "worker_id": worker_id}) is None:
            return False
        _query(conn, "enqueue_later", {"user_id": job.user_id, "trigger_type": job.trigger_type,
                                     "movie_id": job.movie_id, "delay_seconds": 0.0})
        _query(conn, "carry_counts", {"user_id": job.user_id, "deferrals": job.deferrals,
                                    "interruptions": job.interruptions})
    return True
