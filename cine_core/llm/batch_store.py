"""The Message Batches bookkeeping: requests waiting for a pass's batch, and the batches in flight.

Rows are server-owned (migration 20261130120000_llm_batches.sql). Every function runs in the caller's
transaction; the SQL lives in batch_store.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from cine_core.db import load_sql


@dataclass(frozen=True, slots=True)
class PendingRequest:
    custom_id: str
    user_id: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OpenBatch:
    id: str
    status: str
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class BatchedRequest:
    custom_id: str
    user_id: str
    context: dict[str, Any]


def queue_request(conn: psycopg.Connection, *, custom_id: str, user_id: str, operation: str,
                  params: dict[str, Any], context: dict[str, Any]) -> None:
    conn.execute(load_sql(__name__, "queue_request"),
                 {"custom_id": custom_id, "user_id": user_id, "operation": operation,
                  "params": Jsonb(params), "context": Jsonb(context)})


def has_open_request(conn: psycopg.Connection, user_id: str, operation: str) -> bool:
    """A request of this person waits for a batch, or sits in one whose results are not applied yet."""
    row = conn.execute(load_sql(__name__, "has_open_request"), {"user_id": user_id, "operation": operation}).fetchone()
    return bool(row[0] if isinstance(row, tuple) else row["open"])


def claim_pending(conn: psycopg.Connection, operation: str, *, limit: int) -> list[PendingRequest]:
    """Requests waiting for a batch, locked until the caller's transaction ends (another worker skips them)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "claim_pending"), {"operation": operation, "limit": limit}).fetchall()
    return [PendingRequest(r["custom_id"], r["user_id"], r["params"]) for r in rows]


def record_batch(conn: psycopg.Connection, *, batch_id: str, operation: str, status: str,
                 requests: Sequence[PendingRequest]) -> None:
    custom_ids = [r.custom_id for r in requests]
    conn.execute(load_sql(__name__, "record_batch"),
                 {"id": batch_id, "operation": operation, "status": status,
                  "custom_ids": custom_ids, "user_ids": [r.user_id for r in requests]})
    conn.execute(load_sql(__name__, "mark_submitted"), {"id": batch_id, "custom_ids": custom_ids})


def claim_open_batch(conn: psycopg.Connection, operation: str, *, skip: Sequence[str] = ()) -> OpenBatch | None:
    """The oldest batch whose results are not applied, locked until the caller's transaction ends."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "claim_open_batch"),
                          {"operation": operation, "skip": list(skip)}).fetchone()
    return None if row is None else OpenBatch(row["id"], row["status"], row["submitted_at"])


def requests_of(conn: psycopg.Connection, batch_id: str) -> dict[str, BatchedRequest]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "requests_of"), {"id": batch_id}).fetchall()
    return {r["custom_id"]: BatchedRequest(r["custom_id"], r["user_id"], r["context"]) for r in rows}


def set_status(conn: psycopg.Connection, batch_id: str, status: str, *, last_error: str | None = None) -> None:
    conn.execute(load_sql(__name__, "set_status"), {"id": batch_id, "status": status, "last_error": last_error})


def close_batch(conn: psycopg.Connection, batch_id: str, *, ended_at: datetime | None,
                request_counts: dict[str, int]) -> None:
    """Results applied: the batch is closed and its requests forgotten (a later pass may ask again)."""
    conn.execute(load_sql(__name__, "close_batch"),
                 {"id": batch_id, "ended_at": ended_at, "request_counts": Jsonb(request_counts)})
    conn.execute(load_sql(__name__, "forget_requests"), {"id": batch_id})
