"""The Status page's reads: operators see the installation, a person sees their own usage and refresh state.

Operators (CINE_OPERATOR_EMAILS; in personal mode the local user) read worker liveness, queue depth, the
whole API spend and failed jobs with their error texts, and retry those jobs, through functions granted to the
app's own login (`app_status`, `app_api_usage`, `app_failed_jobs`, `app_retry_failed_jobs`) after the check in
`is_operator` — signed-in users have no EXECUTE on them (migrations 20261207060200, 20261208200000). Everyone else reads through their own `user_transaction`: `my_api_usage()`,
`my_refresh_state()` and the readable columns of their `scout_state` row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.app.auth import AppUser
from cine_core.config import Settings
from cine_core.db import app_transaction, user_transaction
from cine_core.domain.errors import DataError

log = logging.getLogger(__name__)

FAILED_JOBS_SHOWN = 20


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


@dataclass(frozen=True, slots=True)
class FailedJob:
    id: int
    user_id: str
    trigger_type: str
    attempts: int
    last_error: str | None
    created_at: datetime
    processed_at: datetime | None


@dataclass(frozen=True, slots=True)
class MyRefresh:
    """One person's refresh state: when their picks were last scouted, whether a refresh waits or failed."""

    last_scout_at: datetime | None
    waiting: bool
    last_failed_at: datetime | None


@dataclass(frozen=True, slots=True)
class StatusView:
    operator: bool
    usage: list[ServiceUsage]  # the installation's (operators) or the person's own
    mine: MyRefresh
    worker: WorkerStatus | None = None  # operators only
    failed_jobs: tuple[FailedJob, ...] = ()  # operators only, newest first, with error texts


def is_operator(settings: Settings, user: AppUser) -> bool:
    """Personal mode: the local user runs the installation. With sign-in: CINE_OPERATOR_EMAILS."""
    if not settings.supabase_auth:
        return user.is_local
    return bool(user.email) and not user.is_local and user.email.strip().lower() in settings.operator_emails


def load_status(pool: ConnectionPool, settings: Settings, user: AppUser, *, alive_seconds: int = 120) -> StatusView:
    """What the Status page shows this user."""
    operator = is_operator(settings, user)
    with user_transaction(pool, user.id) as conn:
        mine = _my_refresh(conn, user.id)
        usage = [] if operator else _usage(conn, "select * from public.my_api_usage()")
    if not operator:
        return StatusView(operator=False, usage=usage, mine=mine)
    # Installation-wide, granted by the operator check above: the figures and the failed jobs through the
    # functions granted to the app's login.
    with app_transaction(pool) as conn:
        worker = WorkerStatus(**conn.execute("select * from public.app_status(%s)", (alive_seconds,)).fetchone())
        usage = _usage(conn, "select * from public.app_api_usage()")
        failed = tuple(FailedJob(**row) for row in conn.execute("select * from public.app_failed_jobs(%s)",
                                                                (FAILED_JOBS_SHOWN,)).fetchall())
    return StatusView(operator=True, usage=usage, mine=mine, worker=worker, failed_jobs=failed)


def retry_failed_jobs(pool: ConnectionPool, settings: Settings, user: AppUser) -> int:
    """Operators only: put every failed refresh back in the queue; returns how many."""
    if not is_operator(settings, user):
        raise DataError("Only an operator can retry other people's failed jobs")
    with app_transaction(pool) as conn:
        count = int(conn.execute("select public.app_retry_failed_jobs() as retried").fetchone()["retried"])
    log.info("Operator %s retried %d failed job(s)", user.email, count)
    return count


def _my_refresh(conn: psycopg.Connection, user_id: str) -> MyRefresh:
    state = conn.execute("select * from public.my_refresh_state(%s)", (user_id,)).fetchone()
    scout = conn.execute("select last_scout_at from public.scout_state where user_id = %s", (user_id,)).fetchone()
    return MyRefresh(last_scout_at=scout["last_scout_at"] if scout else None, waiting=bool(state["waiting"]),
                     last_failed_at=state["last_failed_at"])


def _usage(conn: psycopg.Connection, query: str) -> list[ServiceUsage]:
    return [
        ServiceUsage(**{**row, "cost_24h_usd": float(row["cost_24h_usd"]), "cost_30d_usd": float(row["cost_30d_usd"])})
        for row in conn.execute(query).fetchall()
    ]
