"""A director's or actor's page: what the viewer rated of theirs, and the rest ranked for the viewer.

Ranking fits the local scorer's feature space on these few films only (tens of milliseconds), so the page
never waits for the whole catalog's space.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from cine_core.app.dashboard import Card
from cine_core.db import load_sql, user_transaction
from cine_core.domain.models import Match, Pick
from cine_core.films.rows import row_to_movie
from cine_core.recommend.features import FeatureSpace
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.store import load_profile, load_rated

log = logging.getLogger(__name__)

MAX_FILMS = 80


@dataclass(frozen=True, slots=True)
class PersonPage:
    name: str
    directed: int  # how many of the catalog's films they directed
    acted: int
    yours: tuple[Card, ...]  # films of theirs the viewer rated, best-rated first
    for_you: tuple[Card, ...]  # the rest, best for the viewer first, each with a reason


def load_person(pool: ConnectionPool, user_id: str, name: str) -> PersonPage | None:
    """Everything the person page shows, read in one user transaction, or None when the catalog has no film with
    `name`."""
    with user_transaction(pool, user_id) as conn:
        return _person_page(conn, user_id, name)


def _person_page(conn: psycopg.Connection, user_id: str, name: str) -> PersonPage | None:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(load_sql(__name__, "films_with_person"),
                           {"user_id": user_id, "name": name, "limit": MAX_FILMS}).fetchall()
    if not rows:
        return None
    cards = [Card(movie=row_to_movie(r), user_rating=float(r["user_rating"]) if r["user_rating"] is not None else None,
                  on_watchlist=r["watchlist_added_at"] is not None, watched_at=r["watchlist_watched_at"]) for r in rows]
    yours = sorted((c for c in cards if c.user_rating is not None), key=lambda c: -(c.user_rating or 0))
    unseen = [c for c in cards if c.user_rating is None and c.watched_at is None]
    return PersonPage(name=name, directed=sum(bool(r["directed"]) for r in rows),
                      acted=sum(not r["directed"] for r in rows), yours=tuple(yours),
                      for_you=tuple(_ranked(conn, user_id, unseen)))


def _ranked(conn: psycopg.Connection, user_id: str, unseen: list[Card]) -> list[Card]:
    if not unseen:
        return []
    profile, rated = load_profile(conn, user_id), load_rated(conn, user_id)
    if not rated:
        return unseen  # nothing to rank by yet: best known first
    films = [c.movie for c in unseen]
    matcher = LocalMatcher(space=FeatureSpace([*films, *(r.movie for r in rated)]))
    matches: dict[int, Match] = {m.movie_id: m for m in matcher.match(profile=profile, rated=rated, candidates=films)}
    ordered = sorted(unseen, key=lambda c: -(matches[c.movie.id].score or 0.0) if c.movie.id in matches else 0.0)
    return [Card(movie=c.movie, on_watchlist=c.on_watchlist, pick=_as_pick(c, matches.get(c.movie.id)))
            for c in ordered]


def _as_pick(card: Card, match: Match | None) -> Pick | None:
    if match is None:
        return None
    return Pick(movie=card.movie, confidence=match.confidence, reason=match.reason, discovery_source="person",
                generated_at=None, score=match.score, feedback=None, below_threshold=match.confidence < 0.7,
                matcher="local")
