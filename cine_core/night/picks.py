"""Joint picks in the database: the candidates and writes of the server's computation (service connection),
and what a member reads back (their own transaction; RLS shows only their pairs' picks). SQL in picks.sql."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.films.rows import row_to_movie
from cine_core.night.joint import JointPick

log = logging.getLogger(__name__)

CANDIDATE_LIMIT = 400  # most popular films considered (plus both members' own picks)
MIN_VOTES = 200  # a film for two should be one people know something about
MIN_RUNTIME = 40  # minutes: features only


@dataclass(frozen=True, slots=True)
class StoredPick:
    """A joint pick as a member reads it: the film, the weaker confidence, and each member's cited film."""

    movie: Movie
    rank: int
    confidence: float
    streamable: int
    inviter_film: str | None
    inviter_rating: float | None
    invitee_film: str | None
    invitee_rating: float | None


def load_candidates(conn: psycopg.Connection, members: Sequence[str], excluded: set[int]) -> list[Movie]:
    rows = conn.execute(load_sql(__name__, "candidates"), {
        "members": list(members), "excluded": sorted(excluded), "min_votes": MIN_VOTES,
        "min_runtime": MIN_RUNTIME, "limit": CANDIDATE_LIMIT}).fetchall()
    return [row_to_movie(row) for row in rows]


def started_at(conn: psycopg.Connection) -> datetime:
    return conn.execute(load_sql(__name__, "started_at")).fetchone()["started_at"]


def save_picks(conn: psycopg.Connection, pair_id: int, picks: Sequence[JointPick], *, started: datetime) -> bool:
    """Replace the pair's picks (service connection); False, writing nothing, if the pair ended meanwhile."""
    row = conn.execute(load_sql(__name__, "lock_pair"), {"pair_id": pair_id}).fetchone()
    if row is None or row["ended_at"] is not None:
        return False
    conn.execute(load_sql(__name__, "clear"), {"pair_id": pair_id})
    with conn.cursor() as cur:
        cur.executemany(load_sql(__name__, "insert"), [{
            "pair_id": pair_id, "movie_id": p.movie_id, "rank": p.rank, "confidence": p.confidence,
            "streamable": p.streamable, "started_at": started,
            "inviter_film_id": p.inviter_evidence.movie.id if p.inviter_evidence else None,
            "inviter_film_rating": p.inviter_evidence.rating if p.inviter_evidence else None,
            "invitee_film_id": p.invitee_evidence.movie.id if p.invitee_evidence else None,
            "invitee_film_rating": p.invitee_evidence.rating if p.invitee_evidence else None,
        } for p in picks])
    conn.execute(load_sql(__name__, "mark_computed"), {"pair_id": pair_id, "started_at": started})
    return True


def _rating(value) -> float | None:
    return float(value) if value is not None else None


def load_picks(conn: psycopg.Connection, pair_id: int) -> list[StoredPick]:
    """The pair's joint picks, best first (in a member's transaction: nothing for anyone else)."""
    return [StoredPick(row_to_movie(row), int(row["joint_rank"]), float(row["joint_confidence"]),
                       int(row["joint_streamable"]), row["inviter_film_title"], _rating(row["inviter_film_rating"]),
                       row["invitee_film_title"], _rating(row["invitee_film_rating"]))
            for row in conn.execute(load_sql(__name__, "joint_picks"), {"pair_id": pair_id}).fetchall()]
