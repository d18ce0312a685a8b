"""The digest's sent-log: who is due, the per-person-per-week claim, and what earlier emails showed.

SQL in sent_log.sql. Every function takes a service connection (the table is server-owned).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

from cine_core.db import load_sql

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # sends the mail server refused are retried on later ticks of the same week
MAX_ERROR_CHARS = 500


def iso_week(moment: datetime) -> str:
    """'2026-W48' (the week a digest belongs to)."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone who opted in, with where and when to send."""

    user_id: str
    email: str
    region: str | None
    streaming_services: tuple[str, ...]
    digest_day: int | None
    digest_hour: int | None


@dataclass(frozen=True, slots=True)
class History:
    last_sent_at: datetime | None
    film_ids: frozenset[int]


def opted_in(conn: psycopg.Connection, week: str, user_id: str | None = None) -> list[Recipient]:
    """Opted-in people without this week's email (all, or only `user_id`)."""
    rows = conn.execute(load_sql(__name__, "opted_in"),
                        {"week": week, "user_id": user_id, "max_attempts": MAX_ATTEMPTS})
    return [Recipient(r["user_id"], r["email"], r["region"], tuple(r["streaming_services"] or ()), r["digest_day"],
                      r["digest_hour"]) for r in rows.fetchall()]


def claim(conn: psycopg.Connection, user_id: str, week: str) -> bool:
    """True for exactly one caller per person and week (plus retries of refused sends)."""
    return conn.execute(load_sql(__name__, "claim"), {"user_id": user_id, "week": week, "max_attempts": MAX_ATTEMPTS}
                        ).fetchone() is not None


def finish(conn: psycopg.Connection, user_id: str, week: str, *, status: str, film_ids: list[int],
           error: str | None = None) -> None:
    conn.execute(load_sql(__name__, "finish"),
                 {"user_id": user_id, "week": week, "status": status, "film_ids": film_ids,
                  "last_error": error[:MAX_ERROR_CHARS] if error else None})


def history(conn: psycopg.Connection, user_id: str) -> History:
    row = conn.execute(load_sql(__name__, "history"), {"user_id": user_id}).fetchone()
    return History(row["last_sent_at"], frozenset(int(i) for i in row["film_ids"]))


def unsubscribe(conn: psycopg.Connection, user_id: str) -> bool:
    """Switch the weekly email off; False when it already was."""
    return conn.execute(load_sql(__name__, "unsubscribe"), {"user_id": user_id}).fetchone() is not None
