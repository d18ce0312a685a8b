"""Learning from chat: one message in, one stored conversation, a merged profile, maybe a refresh.

The (possibly slow) extraction runs outside any transaction; storing the row, merging the profile
and queueing the refresh happen together in one user-scoped transaction, so nothing half-lands.
The SQL lives in `service.sql`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from cine_core.chat.resolve import resolve_films
from cine_core.db import transaction, user_transaction
from cine_core.db.named_sql import load_named_queries
from cine_core.domain.errors import DataError
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import ConversationType, Movie, TriggerType
from cine_core.domain.protocols import InsightExtractor
from cine_core.films.rows import movies_by_ids
from cine_core.jobs import refresh_queue
from cine_core.taste import store as taste_store

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
REFRESH_SIGNIFICANCE = 0.7  # refresh picks only for messages that matter more than this
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t \n \r
QUERIES_FILE = Path(__file__).with_suffix(".sql")


def _sql(name: str) -> str:
    """One named query of service.sql."""
    return load_named_queries(QUERIES_FILE)[name]


@dataclass(frozen=True, slots=True)
class ChatResult:
    conversation_id: str
    conversation_type: ConversationType
    insights: ChatInsights
    learned: str  # one human line for the chat window
    refresh_queued: bool
    mentioned: list[tuple[int, str]]  # films resolved to catalog ids: (movie_id, title)


def clean_message(message: str) -> str:
    """The message as stored: control characters removed, trimmed; DataError if empty or too long."""
    if not isinstance(message, str):
        raise DataError("A chat message must be text")
    text = _CONTROL.sub("", message).strip()
    if not text:
        raise DataError("Say something about a film or what you feel like watching")
    if len(text) > MAX_MESSAGE_CHARS:
        raise DataError(f"That message is too long ({len(text)} characters; at most {MAX_MESSAGE_CHARS})")
    return text


def learn_from_conversation(
    pool: ConnectionPool, user_id: str, message: str, movie_id: int | None = None,
    *, extractor: InsightExtractor | None = None,
) -> ChatResult:
    """Extract what `message` teaches, store it with the conversation, merge it into the profile and
    queue a refresh when significance > 0.7. Extractor failures fall back inside the extractor."""
    text = clean_message(message)
    if extractor is None:
        from cine_core.chat.engine import build_extractor
        from cine_core.config import get_settings

        extractor = build_extractor(get_settings(), pool)

    with user_transaction(pool, user_id) as conn:
        profile = taste_store.load_profile(conn, user_id)
        movie = _movie(conn, movie_id)

    insights = extractor.extract(text, profile=profile, movie=movie)  # may call Claude: no transaction open
    insights = ChatInsights.model_validate(insights.model_dump())  # whatever produced it, store only valid data

    # What CineAI learned and the profile are server-owned (no user grants on ai_learned or taste_profile):
    # a service transaction, every statement filtered by this user's id.
    with transaction(pool) as conn:
        insights = resolve_films(conn, insights)
        row = conn.execute(
            _sql("store_conversation"),
            (user_id, movie_id, str(insights.conversation_type), text, Jsonb(insights.model_dump(mode="json"))),
        ).fetchone()
        taste_store.apply_insights(conn, user_id, insights)
        refresh = insights.significance > REFRESH_SIGNIFICANCE
        if refresh:
            refresh_queue.enqueue(conn, user_id, TriggerType.CHAT)
    conversation_id = row["id"] if isinstance(row, dict) else row[0]
    log.info("chat %s for %s: %s, significance %.2f%s", conversation_id, user_id, insights.conversation_type,
             insights.significance, ", refresh queued" if refresh else "")
    mentioned = [(f.movie_id, f.title) for f in insights.films if f.movie_id is not None]
    return ChatResult(conversation_id, ConversationType(insights.conversation_type), insights,
                      learned_line(insights), refresh, mentioned)


def _movie(conn, movie_id: int | None) -> Movie | None:
    if movie_id is None:
        return None
    movie = movies_by_ids(conn, [movie_id]).get(int(movie_id))
    if movie is None:
        raise DataError(f"Unknown film id {movie_id}")
    return movie


def learned_line(insights: ChatInsights) -> str:
    if insights.summary:
        return f"Got it — {insights.summary}."
    return "Noted. That didn't tell me anything new about your taste yet."
