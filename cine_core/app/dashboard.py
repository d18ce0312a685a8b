"""Read-only queries for the app's pages, and the dashboard's faces (`open_dashboard`, `check_refresh`,
`load_cards`: each opens its own user transaction, so no page does).

Every other function takes a connection from `db.user_transaction` (RLS claims set) AND the `user_id`, and
filters by it explicitly: RLS is the safety net, not the filter. The dashboard needs two of them
(`load_user_state`, `list_picks`), index range scans on `user_id`; the taste summary (profile + people) is
read again only when the user's taste stamp moves (_read_cache.py). History and status reads live in history.py
and status.py. The SQL lives in `dashboard.sql`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.app._read_cache import VersionedCache
from cine_core.app._starter import spread
from cine_core.db import load_sql, user_transaction
from cine_core.domain.chat_turn import RequestSpec
from cine_core.domain.models import Movie, Pick
from cine_core.domain.vocabulary import DASHBOARD_MOODS, MOODS
from cine_core.films.rows import row_to_movie
from cine_core.taste.store import load_profile, load_rated
from cine_core.taste.summary import TasteSummary, summarize

log = logging.getLogger(__name__)

DASHBOARD_PICKS = 12
MOOD_MIN_PICKS = 3  # fewer stored picks fit the chosen mood: the catalog fills in (never an empty mood)
MOOD_FILL = 8  # how many films a filled mood shows
FALLBACK_POOL = 120  # most popular films considered for the fallback, then ranked by vote average
FALLBACK_MIN_VOTES = 200  # "best-rated" needs enough votes to mean something
HIDDEN_FEEDBACK = ("down", "not_interested")  # picks the user rejected never show again
TASTE_SUMMARIES: VersionedCache[TasteSummary] = VersionedCache()  # per user, until their taste stamp moves


@dataclass(frozen=True, slots=True)
class Card:
    """A film as a page shows it: the film, the pick behind it (if any) and the user's own marks."""

    movie: Movie
    pick: Pick | None = None
    user_rating: float | None = None
    on_watchlist: bool = False
    watched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UserState:
    """What the dashboard needs to decide between picks, fallback and onboarding."""

    rating_count: int  # the user's own ratings (not 👍/👎 signals)
    picks_available: int  # stored picks not rejected
    picks_generated_at: datetime | None  # newest stored pick
    refresh_waiting: bool = False  # a refresh of this user's picks is queued or running
    refresh_failed_at: datetime | None = None  # when the worker last gave up on this user's refresh
    taste_stamp: str = ""  # changes with every write to ratings, feedback or the profile (_read_cache)

    @property
    def refresh_gave_up(self) -> bool:
        """The latest refresh failed for good, nothing newer is queued and no picks came after it."""
        return (self.refresh_failed_at is not None and not self.refresh_waiting
                and (self.picks_generated_at is None or self.refresh_failed_at > self.picks_generated_at))


def _card(row: dict[str, Any], pick: Pick | None = None) -> Card:
    return Card(
        movie=row_to_movie(row) if pick is None else pick.movie,
        pick=pick,
        user_rating=float(row["user_rating"]) if row.get("user_rating") is not None else None,
        on_watchlist=row.get("watchlist_added_at") is not None,
        watched_at=row.get("watchlist_watched_at"),
    )


def _pick(row: dict[str, Any]) -> Pick:
    return Pick(
        movie=row_to_movie(row),
        confidence=float(row["confidence"]),
        reason=row["reason"],
        discovery_source=row["discovery_source"],
        generated_at=row["generated_at"],
        score=row["score"],
        feedback=row["feedback"],
        below_threshold=row["below_threshold"],
        matcher=row["matcher"],
    )


def list_picks(conn: psycopg.Connection, user_id: str, *, mood: str | None = None,
               limit: int = DASHBOARD_PICKS) -> list[Card]:
    """The user's stored picks by confidence with their films, minus rejected ones; one query.

    `mood` (one of DASHBOARD_MOODS) filters the stored picks; unknown moods are ignored.
    """
    chosen = MOODS.get(mood) if mood in DASHBOARD_MOODS else None
    rows = conn.execute(
        load_sql(__name__, "picks_for_mood" if chosen else "picks"),
        {
            "user_id": user_id,
            "limit": limit,
            "genres": list(chosen.genres) if chosen else [],
            "keywords": list(chosen.keywords) if chosen else [],
            "excludes": list(chosen.excludes) if chosen else [],
            "needs_keyword": chosen.needs_keyword if chosen else False,
        },
    ).fetchall()
    return [_card(row, _pick(row)) for row in rows]


def load_user_state(conn: psycopg.Connection, user_id: str) -> UserState:
    """Rating count, pick freshness and the state of the user's refresh jobs in one round trip (the queue is
    read through `my_refresh_state`, which needs the user's claims: call inside a `user_transaction`)."""
    row = conn.execute(load_sql(__name__, "user_state"), {"user_id": user_id}).fetchone()
    return UserState(int(row["rating_count"]), int(row["picks_available"]), row["picks_generated_at"],
                     bool(row["refresh_waiting"]), row["refresh_failed_at"], row["taste_stamp"])


@dataclass(frozen=True, slots=True)
class RefreshPoll:
    """The cheap read the dashboard repeats while new picks are on their way."""

    picks_generated_at: datetime | None
    refresh_waiting: bool
    refresh_failed_at: datetime | None


def poll_refresh(conn: psycopg.Connection, user_id: str) -> RefreshPoll:
    """The newest stored pick's time and the refresh queue's state for the user (a `user_transaction`)."""
    row = conn.execute(load_sql(__name__, "refresh_poll"), {"user_id": user_id}).fetchone()
    return RefreshPoll(row["picks_generated_at"], bool(row["refresh_waiting"]), row["refresh_failed_at"])


def _unseen_films(conn: psycopg.Connection, user_id: str, query: str, *, pool_size: int, limit: int,
                  min_votes: int) -> list[Card]:
    rows = conn.execute(
        load_sql(__name__, query), {"user_id": user_id, "min_votes": min_votes, "pool_size": pool_size, "limit": limit}
    ).fetchall()
    return [_card(row) for row in rows]


def list_fallback_films(conn: psycopg.Connection, user_id: str, *, limit: int = DASHBOARD_PICKS) -> list[Card]:
    """The catalog's best-rated popular films the user has not rated or dismissed."""
    return _unseen_films(conn, user_id, "fallback_films", pool_size=FALLBACK_POOL, limit=limit,
                         min_votes=FALLBACK_MIN_VOTES)


STARTER_POOL = 300  # the most-voted well-liked films the starter set is spread from
STARTER_MIN_AVERAGE = 7.0  # well liked: a first rating should be of a film people remember fondly or not


def list_onboarding_films(conn: psycopg.Connection, user_id: str, *, limit: int = 24) -> list[Card]:
    """Well-known films a new user is likely to have seen, not yet rated, spread over decades, genres,
    languages, directors and series (cine_core.app._starter); the most-voted films fill in if the pool runs dry."""
    rows = conn.execute(load_sql(__name__, "starter_pool"),
                        {"user_id": user_id, "min_votes": 0, "min_average": STARTER_MIN_AVERAGE,
                         "pool_size": STARTER_POOL}).fetchall()
    cards = {row["id"]: _card(row) for row in rows}
    chosen = [cards[m.id] for m in spread([c.movie for c in cards.values()], limit)]
    if len(chosen) < limit:
        shown = set(cards)
        chosen += [c for c in _unseen_films(conn, user_id, "onboarding_films", pool_size=limit * 2, limit=limit * 2,
                                            min_votes=0) if c.movie.id not in shown][: limit - len(chosen)]
    return chosen


def search_films(conn: psycopg.Connection, user_id: str, text: str, *, limit: int = 20) -> list[Card]:
    """Films in the database whose title contains `text` (case-insensitive), prefix matches first."""
    needle = text.strip().lower()
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        load_sql(__name__, "search_films"),
        {"user_id": user_id, "contains": f"%{escaped}%", "prefix": f"{escaped}%", "limit": limit},
    ).fetchall()
    return [_card(row) for row in rows]


def cards_for_movies(conn: psycopg.Connection, user_id: str, movie_ids: list[int]) -> list[Card]:
    """Cards for specific films (e.g. the ones a chat message mentioned), in the given order."""
    if not movie_ids:
        return []
    rows = conn.execute(load_sql(__name__, "cards_for_movies"), {"user_id": user_id, "ids": list(movie_ids)}).fetchall()
    by_id = {row["id"]: _card(row) for row in rows}
    return [by_id[i] for i in movie_ids if i in by_id]


def list_watchlist(conn: psycopg.Connection, user_id: str) -> list[Card]:
    """The watchlist, unwatched first, newest first."""
    rows = conn.execute(load_sql(__name__, "watchlist"), {"user_id": user_id}).fetchall()
    return [_card(row) for row in rows]


def load_taste_summary(conn: psycopg.Connection, user_id: str) -> TasteSummary:
    """The learned profile in human words: one indexed read of taste_profile, one of the people of the films
    the user rated or liked (so names keep the catalog's spelling: "Leonardo DiCaprio", not "Leonardo Dicaprio")."""
    profile = load_profile(conn, user_id)
    names = {row["name"].lower(): row["name"] for row in conn.execute(load_sql(__name__, "people_names"),
                                                                      {"user_id": user_id})}
    return summarize(profile, names)


def list_mood_films(conn: psycopg.Connection, user_id: str, mood: str, *, exclude: list[int] = (),
                    limit: int = MOOD_FILL) -> list[Card]:
    """Catalog films that fit the mood, scored for the user by the local matcher (Postgres only, no TMDB/LLM)."""
    from cine_core.recommend.suggest import suggest_films  # the scorer's imports load only when a mood needs it

    found = suggest_films(conn, user_id, RequestSpec(moods=[mood], exclude_ids=list(exclude)),
                          profile=load_profile(conn, user_id), rated=load_rated(conn, user_id), limit=limit)
    by_id = {c.movie.id: c for c in cards_for_movies(conn, user_id, [s.movie.id for s in found])}
    now = datetime.now(UTC)
    return [replace(by_id[s.movie.id], pick=Pick(movie=s.movie, confidence=s.confidence, reason=s.reason,
                                                 discovery_source="mood_match", generated_at=now, matcher="local"))
            for s in found if s.movie.id in by_id]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard draws. `fallback` is filled only when no stored pick is left."""

    state: UserState
    picks: list[Card]
    summary: TasteSummary
    fallback: list[Card]


def load_dashboard(conn: psycopg.Connection, user_id: str, *, mood: str | None = None,
                   limit: int = DASHBOARD_PICKS) -> Dashboard:
    """The dashboard's reads: state (with the taste stamp) + picks with films, two indexed queries; the taste
    summary is read again only when the stamp moved, the fallback only for a user without picks."""
    state = load_user_state(conn, user_id)
    picks = list_picks(conn, user_id, mood=mood, limit=limit) if state.picks_available else []
    summary = TASTE_SUMMARIES.get(user_id, state.taste_stamp, lambda: load_taste_summary(conn, user_id))
    if mood in DASHBOARD_MOODS and len(picks) < MOOD_MIN_PICKS:
        filled = list_mood_films(conn, user_id, mood, exclude=[c.movie.id for c in picks],
                                 limit=MOOD_FILL - len(picks))
        if state.picks_available:
            return Dashboard(state, picks + filled, summary, [])
        return Dashboard(state, [], summary, filled)
    fallback = [] if state.picks_available else list_fallback_films(conn, user_id, limit=limit)
    return Dashboard(state, picks, summary, fallback)


# The pages' faces: each opens the user transaction (RLS claims set) and returns the frozen dataclasses above.


def open_dashboard(pool: ConnectionPool, user_id: str, *, mood: str | None = None) -> Dashboard:
    """The dashboard page's read (`load_dashboard`) in one user transaction."""
    with user_transaction(pool, user_id) as conn:
        return load_dashboard(conn, user_id, mood=mood)


def check_refresh(pool: ConnectionPool, user_id: str) -> RefreshPoll:
    """The poll the dashboard repeats while new picks are on their way (`poll_refresh`), in its own transaction."""
    with user_transaction(pool, user_id) as conn:
        return poll_refresh(conn, user_id)


def load_cards(pool: ConnectionPool, user_id: str, movie_ids: list[int]) -> list[Card]:
    """Cards for the given films in one read (the chat page: every film it shows), in the given order."""
    with user_transaction(pool, user_id) as conn:
        return cards_for_movies(conn, user_id, movie_ids)
