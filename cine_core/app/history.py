"""Read-only queries for the user's history: ratings, CineAI's hits and misses, chat.

Same contract as dashboard.py: a connection from `db.user_transaction` AND an explicit user_id filter.
The SQL lives in `history.sql`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

from cine_core.db import load_sql
from cine_core.domain.models import Feedback, Movie, RatedMovie
from cine_core.films.rows import row_to_movie

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    """What the person said about a film without rating it."""

    movie: Movie
    kind: Feedback
    at: datetime

    @property
    def label(self) -> str:
        return FEEDBACK_LABELS[self.kind]


FEEDBACK_LABELS = {Feedback.UP: "👍 more like this", Feedback.DOWN: "👎 less like this",
                   Feedback.NOT_INTERESTED: "🚫 not interested", Feedback.SEEN: "👁 seen it"}


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    """A film CineAI recommended that the user later rated."""

    title: str
    confidence: float
    rating: float


def list_rated(conn: psycopg.Connection, user_id: str, *, limit: int | None = None) -> list[RatedMovie]:
    """The user's ratings with their films, newest first (👍/👎 are not ratings: see list_feedback)."""
    rows = conn.execute(load_sql(__name__, "rated"), {"user_id": user_id, "limit": limit}).fetchall()
    return [RatedMovie(row_to_movie(row), float(row["rating"]), row["rated_at"], row["rating_source"]) for row in rows]


def list_feedback(conn: psycopg.Connection, user_id: str, *, limit: int | None = None) -> list[FeedbackEntry]:
    """The user's 👍 / 👎 / not interested / seen-it verdicts with their films, newest first."""
    rows = conn.execute(load_sql(__name__, "feedback"), {"user_id": user_id, "limit": limit}).fetchall()
    return [FeedbackEntry(row_to_movie(row), Feedback(row["kind"]), row["created_at"]) for row in rows]


def list_calibration(conn: psycopg.Connection, user_id: str) -> list[CalibrationPoint]:
    """Films CineAI recommended (as a real pick) that the user then rated: predicted vs actual."""
    rows = conn.execute(
        load_sql(__name__, "calibration"),
        {"user_id": user_id},
    ).fetchall()
    return [CalibrationPoint(row["title"], float(row["confidence"]), float(row["rating"])) for row in rows]
