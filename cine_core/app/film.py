"""One film's page: the film, the viewer's own rating and marks, why it was picked, what they said about it,
and more like it. Read in the viewer's user-scoped transaction, like every page query."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from cine_core.app.dashboard import Card
from cine_core.db import load_sql, user_transaction
from cine_core.domain.models import Movie
from cine_core.films.rows import movies_by_ids, row_to_movie
from cine_core.recommend.picks import excluded_movie_ids
from cine_core.recommend.ranker.rank import more_like, warm_shared_ranker

log = logging.getLogger(__name__)

MORE_LIKE_THIS = 6


@dataclass(frozen=True, slots=True)
class PickNote:
    """Why CineAI picked this film for the viewer."""

    confidence: float
    reason: str
    discovery_source: str
    generated_at: datetime
    matcher: str | None


@dataclass(frozen=True, slots=True)
class SaidNote:
    """Something the viewer said about the film (chat, an imported review)."""

    text: str
    kind: str
    said_at: datetime


@dataclass(frozen=True, slots=True)
class FilmPage:
    movie: Movie
    user_rating: float | None
    rated_at: datetime | None
    rating_source: str | None  # 'app' | 'letterboxd' | 'imdb' | 'trakt'
    on_watchlist: bool
    watched_at: datetime | None
    pick: PickNote | None
    said: tuple[SaidNote, ...]
    more_like_this: tuple[Card, ...]


def load_film_page(pool: ConnectionPool, user_id: str, movie_id: int) -> FilmPage | None:
    """Everything the film page shows, read in one user transaction, or None when the catalog has no such film."""
    with user_transaction(pool, user_id) as conn:
        return _film_page(conn, user_id, movie_id)


def _film_page(conn: psycopg.Connection, user_id: str, movie_id: int) -> FilmPage | None:
    params = {"user_id": user_id, "movie_id": movie_id}
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "film"), params).fetchone()
        if row is None:
            return None
        movie = row_to_movie(row)
        pick = cur.execute(load_sql(__name__, "pick"), params).fetchone()
        said = cur.execute(load_sql(__name__, "said"), params).fetchall()
    similar = similar_films(conn, user_id, movie)
    return FilmPage(
        movie=movie,
        user_rating=float(row["user_rating"]) if row["user_rating"] is not None else None,
        rated_at=row["user_rated_at"], rating_source=row["user_rating_source"],
        on_watchlist=row["watchlist_added_at"] is not None and row["watchlist_watched_at"] is None,
        watched_at=row["watchlist_watched_at"],
        pick=PickNote(float(pick["confidence"]), pick["reason"], pick["discovery_source"], pick["generated_at"],
                      pick["matcher"]) if pick else None,
        said=tuple(SaidNote(s["what_you_said"], s["conversation_type"], s["created_at"]) for s in said),
        more_like_this=similar,
    )


def similar_films(conn: psycopg.Connection, user_id: str, movie: Movie, *,
                  limit: int = MORE_LIKE_THIS) -> tuple[Card, ...]:
    """"More like this": films close to `movie` that the viewer has not rated or watched, best first.

    The picks' own ranker (cine_core.recommend.ranker.more_like: popularity × closeness × MovieLens neighbours of
    this film), so similar films and picks agree; the catalog query of shared traits only for a film the ranker
    does not know.
    """
    seen = excluded_movie_ids(conn, user_id) | {movie.id}
    ranked = more_like(movie.id, exclude=seen, limit=limit)
    if not ranked:  # the ranker still warming up, or a film it does not know: what the films share
        with conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(load_sql(__name__, "more_like_this"), {
                "user_id": user_id, "movie_id": movie.id, "directors": list(movie.directors),
                "keywords": list(movie.keywords), "genres": list(movie.genres[:2]) or ["—"],
                "all_genres": list(movie.genres), "limit": limit,
            }).fetchall()
        return tuple(Card(movie=row_to_movie(r)) for r in rows)
    films = movies_by_ids(conn, [f.movie_id for f in ranked])
    return tuple(Card(movie=films[f.movie_id]) for f in ranked if f.movie_id in films)


def warm_similar_films() -> threading.Thread | None:
    """Start building the ranker "More like this" uses, in the background (the app calls this at start)."""
    return warm_shared_ranker()
