"""`scout_state`: what the scout last analysed per user, and which users are due for a scout.

`last_scout_at` is also the claim marker: a worker takes a batch of due users by stamping it inside a
`FOR UPDATE SKIP LOCKED` CTE, so several workers split the scheduled scout without doing a user twice.
The SQL lives in `scout_state.sql`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class ScoutState:
    """The last analysis of one user's candidates."""

    profile_version: int | None = None
    candidate_hash: str | None = None
    candidate_ids: tuple[int, ...] = ()
    candidate_sources: tuple[str, ...] = ()
    matcher: str | None = None
    analysed_at: datetime | None = None
    last_scout_at: datetime | None = None
    last_error: str | None = None


def db_time(conn: psycopg.Connection, *, seconds_ago: float = 0.0) -> datetime:
    """The database clock (every worker compares against the same one), minus `seconds_ago`."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(load_sql(__name__, "db_now"), {"seconds": float(seconds_ago)}).fetchone()["at"]


def start_pass(conn: psycopg.Connection, *, seconds_ago: float) -> datetime:
    """Begin a scout pass: add the rows of users who rated since the last pass (one O(users) query per
    pass, not per claim), and return the pass's `due_before` (database time minus `seconds_ago`)."""
    ensure_rows(conn)
    return db_time(conn, seconds_ago=seconds_ago)


def ensure_rows(conn: psycopg.Connection) -> int:
    """A scout_state row for every user with a rating; returns how many were added."""
    with conn.cursor() as cur:
        cur.execute(load_sql(__name__, "ensure_rows"))
        return cur.rowcount


def claim_due_users(conn: psycopg.Connection, *, due_before: datetime, limit: int) -> list[str]:
    """Stamp and return up to `limit` users last scouted before `due_before` (never-scouted first).

    Only users with a scout_state row are seen (start_pass adds them); the cost of a claim does not grow
    with the number of users (an index scan on last_scout_at that stops after `limit` rows)."""
    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "claim_due"), {"due_before": due_before, "limit": limit}).fetchall()
    return [row["user_id"] for row in rows]


def load_state(conn: psycopg.Connection, user_id: str) -> ScoutState:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "load"), {"user_id": user_id}).fetchone()
    if row is None:
        return ScoutState()
    return ScoutState(**{**row, "candidate_ids": tuple(row["candidate_ids"]),
                         "candidate_sources": tuple(row["candidate_sources"])})


def save_analysis(
    conn: psycopg.Connection,
    user_id: str,
    *,
    profile_version: int,
    candidate_hash: str,
    candidates: list[tuple[int, str]],
    matcher: str,
    last_error: str | None = None,
) -> None:
    """Remember what was analysed (profile version + candidate set) so an unchanged rerun skips the LLM."""
    with conn.cursor() as cur:
        cur.execute(load_sql(__name__, "save_analysis"), {
            "user_id": user_id, "profile_version": profile_version, "candidate_hash": candidate_hash,
            "candidate_ids": [movie_id for movie_id, _ in candidates],
            "candidate_sources": [source for _, source in candidates],
            "matcher": matcher, "last_error": last_error,
        })


def save_visit(conn: psycopg.Connection, user_id: str, *, last_error: str | None = None) -> None:
    """Record a scout that reused the previous analysis (or could not run)."""
    with conn.cursor() as cur:
        cur.execute(load_sql(__name__, "save_visit"), {"user_id": user_id, "last_error": last_error})
