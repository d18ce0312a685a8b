"""What the dashboard calls for the shelves below the picks (deep dive, season), in the user's transaction."""

from __future__ import annotations

import functools
import logging
from collections.abc import Hashable
from datetime import UTC, date, datetime

from psycopg_pool import ConnectionPool

from cine_core.app._read_cache import VersionedCache
from cine_core.db import user_transaction
from cine_core.recommend.shelves import Shelf, ShelfFilm, list_shelves
from cine_core.taste.store import load_profile, load_rated

log = logging.getLogger(__name__)

__all__ = ["Shelf", "ShelfFilm", "load_shelves", "today", "warm_matcher"]

CACHE: VersionedCache[list[Shelf]] = VersionedCache()  # per user, until the stamp or the day moves


def today() -> date:
    """The dashboard's date (UTC); tests replace this to pin the season."""
    return datetime.now(UTC).date()


@functools.cache
def _matcher():
    from cine_core.recommend.local_scorer import LocalMatcher

    return LocalMatcher(fit_per_call=True)


def warm_matcher() -> None:
    """Import the local scorer and make the shelves' matcher now (the app's start does this in the background)."""
    _matcher()


def load_shelves(pool: ConnectionPool, user_id: str, *, on: date | None = None,
                 stamp: Hashable | None = None) -> list[Shelf]:
    """The shelves that apply `on` (default today) for this person, best-ranked films first.

    The scorer fits its feature space on each shelf's few candidates (tens of milliseconds): the catalog-wide
    space takes about 10 s to build and a page load must never wait for it. With a `stamp` (the dashboard's
    taste stamp and pick time) the shelves are computed once per stamp and day, not on every page run.
    """
    day = on or today()
    if stamp is None:
        return _compute(pool, user_id, day)
    return CACHE.get(user_id, (stamp, day), lambda: _compute(pool, user_id, day))


def _compute(pool: ConnectionPool, user_id: str, day: date) -> list[Shelf]:
    with user_transaction(pool, user_id) as conn:
        profile = load_profile(conn, user_id)
        rated = load_rated(conn, user_id)
        return list_shelves(conn, _matcher(), user_id, profile, rated, today=day)
