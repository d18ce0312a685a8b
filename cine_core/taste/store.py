"""The taste profile: build it (pure, taste_build.py), store it in `taste_profile`, let the user correct it.

Every function taking `conn` runs inside the caller's transaction (service or `db.user_transaction`,
where RLS applies), and touches only ratings, film_feedback, movies, movie_conversations and taste_profile.
The profile is written through public.store_taste_profile (a security-definer function): the app, which holds no
service login, rebuilds with `relearn` (reads as the person, writes as its own login).
Reviews and the diary teach nothing of their own: a reviewed film teaches through its rating.
The stored profile is always rebuildable: ratings + 👍/👎 (film_feedback) + stored conversation insights + the
`removed` set.
The SQL lives in `store.sql`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pydantic
from psycopg.rows import dict_row

from cine_core.db import app_transaction, load_sql, user_transaction
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import RatedMovie, TasteProfile
from cine_core.films.rows import row_to_movie
from cine_core.taste.profile import (
    DEFAULT_PROFILE_CONFIG,
    FilmFeedback,
    ProfileConfig,
    build_profile,
    rating_weights,
)
from cine_core.taste.summary import SummaryItem, TasteSummary, label_for, summarize

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_PROFILE_CONFIG", "ProfileConfig", "SummaryItem", "TasteSummary", "apply_insights", "build_profile",
    "label_for", "load_feedback", "load_insights", "load_profile", "load_rated", "profile_from_json", "profile_to_json",
    "rating_weights", "refresh_profile", "relearn", "remove_preference", "summarize",
]

PROFILE_FORMAT = 1  # bump when the JSON shape changes incompatibly
_MAPS = ("genres", "keywords", "people", "visual_style", "themes", "moods")


def profile_to_json(profile: TasteProfile) -> dict:
    """The `taste_profile.preferences` document (no user id, version or timestamps: those are columns)."""
    return {
        "format": PROFILE_FORMAT,
        **{name: dict(sorted(getattr(profile, name).items())) for name in _MAPS},
        "decades": {str(k): v for k, v in sorted(profile.decades.items())},
        "pacing": profile.pacing,
        "mood_context": list(profile.mood_context),
        "recent_learning": list(profile.recent_learning),
        "removed": sorted(profile.removed),
        "rating_count": profile.rating_count,
        "mean_rating": profile.mean_rating,
    }


def _affinities(value: Any, *, int_keys: bool = False) -> dict:
    """Tolerant reader: a hand-edited or older document must not break the dashboard."""
    out: dict = {}
    if not isinstance(value, Mapping):
        return out
    for key, raw in value.items():
        try:
            out[int(key) if int_keys else str(key).lower()] = max(-1.0, min(1.0, float(raw)))
        except (TypeError, ValueError):
            log.warning("ignoring malformed affinity %r=%r", key, raw)
    return out


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def profile_from_json(data: Mapping | None, *, user_id, version: int, updated_at: datetime | None = None) -> TasteProfile:
    """Inverse of profile_to_json; unknown or malformed fields are ignored."""
    data = data or {}
    pacing = data.get("pacing")
    mean = data.get("mean_rating")
    return TasteProfile(
        user_id=str(user_id) if user_id is not None else None,
        version=int(version),
        **{name: _affinities(data.get(name)) for name in _MAPS},
        decades=_affinities(data.get("decades"), int_keys=True),
        pacing=pacing if pacing in ("faster", "slower") else None,
        mood_context=_strings(data.get("mood_context")),
        recent_learning=_strings(data.get("recent_learning")),
        removed=frozenset(_strings(data.get("removed"))),
        rating_count=int(data.get("rating_count") or 0),
        mean_rating=float(mean) if isinstance(mean, int | float) else None,
        updated_at=updated_at,
    )


def load_rated(conn, user_id) -> list[RatedMovie]:
    """The user's ratings joined with their films, oldest first."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "rated"), (user_id,)).fetchall()
    return [
        RatedMovie(row_to_movie(row), float(row["user_rating"]), row["user_rated_at"], row["rating_source"])
        for row in rows
    ]


def load_feedback(conn, user_id) -> list[FilmFeedback]:
    """The user's 👍 / 👎 with their films, oldest first (not interested / seen it teach no taste)."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "thumbs"), (user_id,)).fetchall()
    return [FilmFeedback(row_to_movie(row), row["feedback_kind"], row["feedback_at"]) for row in rows]


def load_insights(conn, user_id) -> list[ChatInsights]:
    """Validated insights of the user's stored conversations, oldest first; invalid rows are skipped."""
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "insights"), (user_id,)).fetchall()
    insights = []
    for row in rows:
        try:
            insights.append(ChatInsights.model_validate(row["ai_learned"]))
        except pydantic.ValidationError:
            log.warning("conversation %s has no valid insights; skipped", row["id"])
    return insights


def load_profile(conn, user_id) -> TasteProfile:
    """The stored profile, or an empty one (version 0) if the user has none yet."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "profile"), (user_id,)).fetchone()
    if row is None:
        return TasteProfile(user_id=str(user_id))
    return profile_from_json(row["preferences"], user_id=user_id, version=row["version"], updated_at=row["updated_at"])


def _store(conn, user_id, stored: TasteProfile, fresh: TasteProfile, *, force_bump: bool = False) -> TasteProfile:
    """Write `fresh` if its preferences differ from `stored` (or when forced); returns what is now stored."""
    document = profile_to_json(fresh)
    if not force_bump and stored.updated_at is not None and document == profile_to_json(stored):
        return stored
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "store_profile"), (user_id, json.dumps(document))).fetchone()
    log.info("taste profile of %s now at version %s", user_id, row["version"])
    return profile_from_json(document, user_id=user_id, version=row["version"], updated_at=row["updated_at"])


def _rebuild(conn, user_id, removed: frozenset[str], extra: ChatInsights | None = None) -> TasteProfile:
    insights = load_insights(conn, user_id)
    if extra is not None and (not insights or insights[-1] != extra):
        insights.append(extra)  # the caller may not have stored the row (yet); never count it twice
    return build_profile(
        load_rated(conn, user_id), insights, feedback=load_feedback(conn, user_id), removed=removed,
        user_id=str(user_id), now=datetime.now(UTC),
    )


def refresh_profile(conn, user_id) -> TasteProfile:
    """Rebuild from ratings + stored insights + the stored `removed` set; bump the version only on change."""
    stored = load_profile(conn, user_id)
    return _store(conn, user_id, stored, _rebuild(conn, user_id, stored.removed))


def apply_insights(conn, user_id, insights: ChatInsights) -> TasteProfile:
    """Merge one chat message's insights (its conversation row usually already stored) and store.

    Implemented as a rebuild so that the stored profile always equals what refresh_profile would
    produce; the version bumps whenever the message taught something (and not for an empty one).
    """
    stored = load_profile(conn, user_id)
    return _store(conn, user_id, stored, _rebuild(conn, user_id, stored.removed, extra=insights))


def remove_preference(conn, user_id, key: str) -> TasteProfile:
    """The user deletes a learned item ("genre:horror"): gone from the profile and from matching, and
    kept out of later rebuilds."""
    key = key.strip().lower()
    stored = load_profile(conn, user_id)
    removed = stored.removed | {key}
    return _store(conn, user_id, stored, _rebuild(conn, user_id, removed), force_bump=key not in stored.removed)


def relearn(pool, user_id, *, forget: str | None = None, extra: ChatInsights | None = None) -> TasteProfile:
    """The app's rebuild, with no service rights: the person's rows are read as the person (a user transaction,
    RLS applies) and the profile is written as the app's own login through public.store_taste_profile.

    `forget` is a learned item the person deletes (what remove_preference does); `extra` the insights of a chat
    message just stored (what apply_insights does); with neither, what refresh_profile does (after an undo)."""
    key = forget.strip().lower() if forget is not None else None
    with user_transaction(pool, user_id) as conn:
        stored = load_profile(conn, user_id)
        removed = stored.removed | {key} if key is not None else stored.removed
        fresh = _rebuild(conn, user_id, removed, extra=extra)
    with app_transaction(pool) as conn:
        return _store(conn, user_id, stored, fresh, force_bump=key is not None and key not in stored.removed)
