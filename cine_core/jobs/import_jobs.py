"""The import-job queue: a page submits an uploaded export, a worker claims it, reports progress, settles it.

A claimed job holds a lease that every progress update renews; a worker that dies mid-import leaves the
lease to expire and another worker retakes the job (imports are idempotent: re-importing adds nothing).
After MAX_ATTEMPTS deaths the job ends visibly failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from cine_core.db import load_sql

log = logging.getLogger(__name__)

LEASE_SECONDS = 120.0
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class ClaimedImport:
    """A job in a worker's hands, with the file to import."""

    id: int
    user_id: str
    file_name: str
    content: bytes
    attempts: int


@dataclass(frozen=True, slots=True)
class ImportStatus:
    """What the person sees of their latest import."""

    id: int
    file_name: str
    status: str  # queued | running | done | failed
    rows_done: int
    rows_total: int | None
    report: dict[str, Any] | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def open(self) -> bool:
        return self.status in ("queued", "running")


def submit(conn: psycopg.Connection, user_id: str, file_name: str, content: bytes) -> int:
    """Store an uploaded export as a queued job (in the user's own transaction); returns its id."""
    row = conn.execute(load_sql(__name__, "submit"), {"user_id": user_id, "file_name": file_name[:255] or "export",
                                                      "content": content}).fetchone()
    return int(row["id"] if isinstance(row, dict) else row[0])


def latest_for_user(conn: psycopg.Connection, user_id: str) -> ImportStatus | None:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "latest_for_user"), {"user_id": user_id}).fetchone()
    return ImportStatus(**row) if row else None


def claim_next(conn: psycopg.Connection, worker_id: str, *, lease_seconds: float = LEASE_SECONDS) -> ClaimedImport | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql(__name__, "give_up_exhausted"), {"max_attempts": MAX_ATTEMPTS})
        row = cur.execute(load_sql(__name__, "claim_next"), {"worker_id": worker_id, "lease_seconds": lease_seconds,
                                                             "max_attempts": MAX_ATTEMPTS}).fetchone()
    if row is None:
        return None
    return ClaimedImport(row["id"], row["user_id"], row["file_name"], bytes(row["content"] or b""), row["attempts"])


def report_progress(conn: psycopg.Connection, job: ClaimedImport, worker_id: str, done: int, total: int,
                    *, lease_seconds: float = LEASE_SECONDS) -> None:
    conn.execute(load_sql(__name__, "progress"), {"id": job.id, "worker_id": worker_id, "done": done, "total": total,
                                                  "lease_seconds": lease_seconds})


def finish(conn: psycopg.Connection, job: ClaimedImport, *, report: dict | None, error: str | None) -> None:
    """Settle a job: done with its report (the file is dropped), or failed with a one-line reason."""
    conn.execute(load_sql(__name__, "finish"),
                 {"id": job.id, "status": "failed" if error else "done",
                  "report": Jsonb(report) if report is not None else None, "error": error})


def hand_back(conn: psycopg.Connection, job: ClaimedImport, worker_id: str) -> bool:
    """Queue a running job again (the worker is stopping); the next claim starts it over. False if not ours."""
    return conn.execute(load_sql(__name__, "hand_back"), {"id": job.id, "worker_id": worker_id}).rowcount == 1


def any_claimable(conn: psycopg.Connection) -> bool:
    """Whether claim_next would find a job (without claiming it)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return bool(cur.execute(load_sql(__name__, "any_claimable"),
                                {"max_attempts": MAX_ATTEMPTS}).fetchone()["claimable"])
