"""Read-only status for the Status page: worker liveness, queue depth, API usage and cost.

These tables have no grants for signed-in users; the reads go through the security-definer functions
`public.app_status` / `public.app_api_usage` (migration 20261123000500_app), which return aggregates
over all users and nothing user-specific. Call them from any `user_transaction`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerStatus:
    workers_alive: int
    workers_total: int
    last_seen: datetime | None
    last_scout_at: datetime | None
    jobs_done: int
    jobs_failed: int
    queue_pending: int
    queue_running: int
    queue_failed: int
    oldest_pending_at: datetime | None


@dataclass(frozen=True, slots=True)
class ServiceUsage:
    service: str
    calls_24h: int
    errors_24h: int
    cost_24h_usd: float
    calls_30d: int
    errors_30d: int
    cost_30d_usd: float
    tokens_in_30d: int
    tokens_out_30d: int


def load_worker_status(conn: psycopg.Connection, *, alive_seconds: int = 120) -> WorkerStatus:
    """Worker liveness and queue depth (aggregates over all users, via a security-definer function)."""
    row = conn.execute("select * from public.app_status(%s)", (alive_seconds,)).fetchone()
    return WorkerStatus(**row)


def list_api_usage(conn: psycopg.Connection) -> list[ServiceUsage]:
    """API calls and estimated cost per service over 24 h and 30 days (all users)."""
    rows = conn.execute("select * from public.app_api_usage()").fetchall()
    return [
        ServiceUsage(**{**row, "cost_24h_usd": float(row["cost_24h_usd"]), "cost_30d_usd": float(row["cost_30d_usd"])})
        for row in rows
    ]
