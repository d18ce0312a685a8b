"""Read-only queries for the user's history: ratings, CineAI's hits and misses, chat.

Same contract as queries.py: a connection from `db.user_transaction` AND an explicit user_id filter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from cine_core.domain.models import RatedMovie
from cine_core.films.rows import row_to_movie

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    conversation_type: str
    what_you_said: str
    ai_learned: dict[str, Any]
    created_at: datetime
    movie_id: int | None = None
    movie_title: str | None = None


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    """A film CineAI recommended that the user later rated."""

    title: str
    confidence: float
    rating: float


def list_rated(conn: psycopg.Connection, user_id: str, *, limit: int | None = None,
               include_signals: bool = False) -> list[RatedMovie]:
    """The user's ratings with their films, newest first; 👍/👎 signals only if asked."""
    rows = conn.execute(
        """
        select m.*, r.rating, r.rated_at, r.source as rating_source
        from public.ratings r join public.movies m on m.id = r.movie_id
        where r.user_id = %(user_id)s and (%(signals)s or r.source <> 'feedback')
        order by r.rated_at desc, r.movie_id
        limit %(limit)s
        """,
        {"user_id": user_id, "signals": include_signals, "limit": limit},
    ).fetchall()
    return [RatedMovie(row_to_movie(row), float(row["rating"]), row["rated_at"], row["rating_source"]) for row in rows]


def list_calibration(conn: psycopg.Connection, user_id: str) -> list[CalibrationPoint]:
    """Films CineAI recommended (as a real pick) that the user then rated: predicted vs actual."""
    rows = conn.execute(
        """
        select m.title, rec.confidence, r.rating
        from public.recommendations rec
        join public.ratings r on r.user_id = rec.user_id and r.movie_id = rec.movie_id and r.source <> 'feedback'
        join public.movies m on m.id = rec.movie_id
        where rec.user_id = %(user_id)s and rec.matcher is distinct from 'app'
        order by rec.confidence
        """,
        {"user_id": user_id},
    ).fetchall()
    return [CalibrationPoint(row["title"], float(row["confidence"]), float(row["rating"])) for row in rows]


def list_conversations(conn: psycopg.Connection, user_id: str, *, limit: int = 50) -> list[Conversation]:
    """The latest chat messages, oldest first (the order a chat shows them)."""
    rows = conn.execute(
        """
        select c.id::text as id, c.conversation_type, c.what_you_said, c.ai_learned, c.created_at, c.movie_id,
               m.title as movie_title
        from public.movie_conversations c left join public.movies m on m.id = c.movie_id
        where c.user_id = %(user_id)s
        order by c.created_at desc
        limit %(limit)s
        """,
        {"user_id": user_id, "limit": limit},
    ).fetchall()
    return [Conversation(**row) for row in reversed(rows)]
