"""What the dashboard calls for the shelves below the picks (deep dive, season), in the user's transaction."""

from __future__ import annotations

import functools
import logging
import threading
from datetime import UTC, date, datetime

from psycopg_pool import ConnectionPool

from cine_core.db import user_transaction
from cine_core.recommend.features import catalog_feature_space
from cine_core.recommend.shelves import Shelf, ShelfFilm, list_shelves
from cine_core.taste.store import load_profile, load_rated

log = logging.getLogger(__name__)

__all__ = ["Shelf", "ShelfFilm", "load_shelves", "today", "warm_up_scoring"]


def today() -> date:
    """The dashboard's date (UTC); tests replace this to pin the season."""
    return datetime.now(UTC).date()


@functools.cache
def _matcher():
    from cine_core.recommend.local_scorer import LocalMatcher

    return LocalMatcher()


_SCORING_READY = threading.Event()


def warm_up_scoring() -> None:
    """Build the local scorer's catalog-wide feature space (about 10 s, once per process); call it in a
    background thread at start-up so no page load ever waits for it."""
    try:
        catalog_feature_space()
    finally:
        _SCORING_READY.set()


def load_shelves(pool: ConnectionPool, user_id: str, *, on: date | None = None, wait: bool = True) -> list[Shelf]:
    """The shelves that apply `on` (default today) for this person, best-ranked films first.

    With `wait=False` (the dashboard) nothing is computed before the scorer is warm: no shelves this once,
    rather than a page that hangs for seconds right after the server starts.
    """
    if not wait and not _SCORING_READY.is_set():
        return []
    with user_transaction(pool, user_id) as conn:
        profile = load_profile(conn, user_id)
        rated = load_rated(conn, user_id)
        return list_shelves(conn, _matcher(), user_id, profile, rated, today=on or today())
