"""Chat turns as stored: the message, what it taught (ChatInsights) and CineAI's reply (`reply` inside it).

A turn is rewritten, never updated in place: answering CineAI's question or undoing a message replaces the row
by a new version with the same text, film and `created_at`. What CineAI learned (ai_learned) is server-owned:
turns are stored and rewritten through security-definer functions granted to the app's own login (cine_app) and
the service role (public.store_chat_turn, public.rewrite_chat_turn), so `save_turn` needs no service rights.
The SQL lives in `turns.sql`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

import pydantic
from psycopg.types.json import Jsonb

from cine_core.db import app_transaction, load_sql
from cine_core.domain.chat_turn import Choice
from cine_core.domain.errors import DataError
from cine_core.domain.insights import ChatInsights

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000  # the database refuses longer ones too (chat limits migration)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t \n \r
AMBIGUOUS_MIN_VOTES = 100  # a namesake nobody has seen is not worth a question
AMBIGUOUS_SHARE = 0.05  # ... nor one with under 5% of the best-known film's votes


@dataclass(frozen=True, slots=True)
class Turn:
    id: str
    text: str
    insights: ChatInsights
    created_at: datetime
    movie_id: int | None = None


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


def _turn(row) -> Turn | None:
    try:
        insights = ChatInsights.model_validate(row["ai_learned"])
    except pydantic.ValidationError:
        log.warning("conversation %s has no valid insights; shown without a reply", row["id"])
        insights = ChatInsights(conversation_type=row["conversation_type"], significance=0.0)
    return Turn(row["id"], row["what_you_said"], insights, row["created_at"], row["movie_id"])


def store_turn(conn, user_id: str, text: str, insights: ChatInsights, *, movie_id: int | None = None) -> Turn:
    """A new turn, created now, in the caller's transaction (the app's own login or a service one)."""
    row = conn.execute(load_sql(__name__, "store_turn"), {
        "user_id": user_id, "movie_id": movie_id, "kind": str(insights.conversation_type), "text": text,
        "learned": Jsonb(insights.model_dump(mode="json")),
    }).fetchone()
    return Turn(row["id"], text, insights, row["created_at"], movie_id)


def save_turn(pool, user_id: str, text: str, insights: ChatInsights, *, rewrite: Turn | None = None) -> Turn:
    """Store a turn, or `rewrite`'s new version, as the pool's own login: on the app's pool that is cine_app,
    with no service rights (the functions are all it may call)."""
    with app_transaction(pool) as conn:
        if rewrite is not None:
            return rewrite_turn(conn, user_id, rewrite, insights)
        return store_turn(conn, user_id, text, insights)


def latest_turns(conn, user_id: str, *, limit: int = 30) -> list[Turn]:
    """The latest turns, oldest first (the order a chat shows them)."""
    rows = conn.execute(load_sql(__name__, "latest_turns"), {"user_id": user_id, "limit": limit}).fetchall()
    return [t for t in (_turn(r) for r in reversed(rows)) if t is not None]


def load_turn(conn, user_id: str, turn_id: str) -> Turn:
    try:
        row = conn.execute(load_sql(__name__, "turn"), {"user_id": user_id, "id": turn_id}).fetchone()
    except Exception as exc:  # a malformed uuid from a stale button
        raise DataError("That message no longer exists") from exc
    if row is None:
        raise DataError("That message no longer exists")
    return _turn(row)


def rewrite_turn(conn, user_id: str, turn: Turn, insights: ChatInsights) -> Turn:
    """Replace a stored turn by a new version that keeps its text, film and place in the conversation."""
    row = conn.execute(load_sql(__name__, "rewrite_turn"), {
        "user_id": user_id, "id": turn.id, "kind": str(insights.conversation_type),
        "learned": Jsonb(insights.model_dump(mode="json")),
    }).fetchone()
    if row is None:
        raise DataError("That message no longer exists")
    return Turn(row["id"], turn.text, insights, row["created_at"], turn.movie_id)


def namesakes(conn, title: str) -> list[Choice]:
    """Two or more well-known films with exactly this title ("Dune (2021)", "Dune (1984)"), else []."""
    rows = conn.execute(load_sql(__name__, "same_title"), {"title": title, "min_votes": AMBIGUOUS_MIN_VOTES}).fetchall()
    if len(rows) < 2:
        return []
    floor = rows[0]["vote_count"] * AMBIGUOUS_SHARE
    kept = [r for r in rows if r["vote_count"] >= floor]
    if len(kept) < 2 or len({r["year"] for r in kept}) < len(kept):
        return []
    return [Choice(movie_id=int(r["id"]), label=f"{r['title']} ({r['year']})" if r["year"] else r["title"])
            for r in sorted(kept, key=lambda r: -(r["year"] or 0))]
