"""Which films a person's weekly email shows: new or trending since their last email, ranked for them.

"New" is what the scout brought in from TMDB since then and was released lately; "trending" is any
trending list cached since then (offline too: the catalog's own list). Films they rated, dismissed,
watched or were already sent never come back. The local scorer ranks and explains (no LLM call per email).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.domain.protocols import Matcher
from cine_core.films.rows import row_to_movie
from cine_core.taste import store as taste_store

log = logging.getLogger(__name__)

FILMS_PER_EMAIL = 5
FIRST_LOOK_BACK = timedelta(days=7)  # the first email looks back one week
NEW_RELEASE_WINDOW = timedelta(days=180)  # a film fetched lately counts as new if released within this
CANDIDATE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class DigestFilm:
    """One film of an email, with the one-line reason it was chosen."""

    movie: Movie
    reason: str
    confidence: float


def choose_films(conn: psycopg.Connection, matcher: Matcher, user_id: str, *, now: datetime,
                 last_sent_at: datetime | None, already_sent: frozenset[int],
                 limit: int = FILMS_PER_EMAIL) -> list[DigestFilm]:
    """Up to `limit` films for the person, best first (empty when nothing new turned up)."""
    since = last_sent_at or now - FIRST_LOOK_BACK
    rows = conn.execute(load_sql(__name__, "candidates"), {
        "since": since, "released_after": (now - NEW_RELEASE_WINDOW).date(), "user_id": user_id,
        "already_sent": sorted(already_sent), "limit": CANDIDATE_LIMIT,
    }).fetchall()
    candidates = [row_to_movie(row) for row in rows]
    if not candidates:
        log.info("Digest for %s: nothing new or trending since %s", user_id, since.isoformat())
        return []
    profile = taste_store.load_profile(conn, user_id)
    rated = taste_store.load_rated(conn, user_id)
    matches = sorted(matcher.match(profile=profile, rated=rated, candidates=candidates),
                     key=lambda m: (-(0.0 if math.isnan(m.confidence) else m.confidence), m.movie_id))
    by_id = {m.id: m for m in candidates}
    return [DigestFilm(by_id[m.movie_id], m.reason, m.confidence) for m in matches[:limit] if m.movie_id in by_id]
