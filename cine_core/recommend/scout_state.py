"""`scout_state`: what the scout last analysed per user, and which users are due for a scout.

`last_scout_at` is also the claim marker: a worker takes a batch of due users by stamping it inside a
`FOR UPDATE SKIP LOCKED` CTE, so several workers split the scheduled scout without doing a user twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

log = logging.getLogger(__name__)

# Users with at least one rating are scouted; the others see the fallback shelf until they rate.
ENSURE_ROWS_SQL = """
insert into public.scout_state (user_id)
select u.id from auth.users u
 where exists (select 1 from public.ratings r where r.user_id = u.id)
   and not exists (select 1 from public.scout_state s where s.user_id = u.id)
on conflict (user_id) do nothing
"""
DB_NOW_SQL = "select now() - make_interval(secs => %(seconds)s) as at"
CLAIM_DUE_SQL = """
with due as (
  select user_id from public.scout_state
   where last_scout_at is null or last_scout_at < %(due_before)s
   order by last_scout_at nulls first, user_id
   limit %(limit)s
   for update skip locked
)
update public.scout_state s set last_scout_at = now()
  from due where s.user_id = due.user_id
returning s.user_id::text as user_id
"""
LOAD_SQL = """
select profile_version, candidate_hash, candidate_ids, candidate_sources, matcher, analysed_at, last_scout_at,
       last_error
  from public.scout_state where user_id = %(user_id)s
"""
SAVE_ANALYSIS_SQL = """
insert into public.scout_state as s (user_id, profile_version, candidate_hash, candidate_ids, candidate_sources,
                                     matcher, analysed_at, last_scout_at, last_error)
values (%(user_id)s, %(profile_version)s, %(candidate_hash)s, %(candidate_ids)s, %(candidate_sources)s,
        %(matcher)s, now(), now(), %(last_error)s)
on conflict (user_id) do update
   set profile_version = excluded.profile_version, candidate_hash = excluded.candidate_hash,
       candidate_ids = excluded.candidate_ids, candidate_sources = excluded.candidate_sources,
       matcher = excluded.matcher, analysed_at = excluded.analysed_at,
       last_scout_at = excluded.last_scout_at, last_error = excluded.last_error
"""
SAVE_VISIT_SQL = """
insert into public.scout_state as s (user_id, last_scout_at, last_error)
values (%(user_id)s, now(), %(last_error)s)
on conflict (user_id) do update set last_scout_at = now(), last_error = excluded.last_error
"""


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
        return cur.execute(DB_NOW_SQL, {"seconds": float(seconds_ago)}).fetchone()["at"]


def claim_due_users(conn: psycopg.Connection, *, due_before: datetime, limit: int) -> list[str]:
    """Stamp and return up to `limit` users last scouted before `due_before` (never-scouted first)."""
    with conn.transaction():
        conn.execute(ENSURE_ROWS_SQL)
        with conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(CLAIM_DUE_SQL, {"due_before": due_before, "limit": limit}).fetchall()
    return [row["user_id"] for row in rows]


def load_state(conn: psycopg.Connection, user_id: str) -> ScoutState:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(LOAD_SQL, {"user_id": user_id}).fetchone()
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
        cur.execute(SAVE_ANALYSIS_SQL, {
            "user_id": user_id, "profile_version": profile_version, "candidate_hash": candidate_hash,
            "candidate_ids": [movie_id for movie_id, _ in candidates],
            "candidate_sources": [source for _, source in candidates],
            "matcher": matcher, "last_error": last_error,
        })


def save_visit(conn: psycopg.Connection, user_id: str, *, last_error: str | None = None) -> None:
    """Record a scout that reused the previous analysis (or could not run)."""
    with conn.cursor() as cur:
        cur.execute(SAVE_VISIT_SQL, {"user_id": user_id, "last_error": last_error})
