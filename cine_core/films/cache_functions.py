"""The shared film cache's calls to its security-definer functions (migration 20261210200000): the app's own
login (cine_app, no service rights) and the worker store fetched films and cached lists the same way. The
functions refuse a film row that is not well formed and only replace a stored film where the cache would
refetch it; the SQL lives in `cache_functions.sql`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from cine_core.db import load_sql
from cine_core.domain.models import Movie

log = logging.getLogger(__name__)

FILMS_PER_CALL = 50  # cache_films takes at most 100 films a call


def film_document(movie: Movie) -> dict[str, Any]:
    """A film as cache_films takes it: the columns of a `movies` row, without fetched_at (the function's)."""
    return {
        "id": movie.id, "title": movie.title, "year": movie.year, "release_date": _iso(movie.release_date),
        "overview": movie.overview or "", "genres": list(movie.genres), "keywords": list(movie.keywords),
        "directors": list(movie.directors), "top_cast": list(movie.cast), "runtime": movie.runtime,
        "original_language": movie.original_language, "popularity": float(movie.popularity or 0.0),
        "vote_average": movie.vote_average, "vote_count": int(movie.vote_count or 0),
        "poster_path": movie.poster_path, "imdb_id": movie.imdb_id,
        "watch_providers": dict(movie.watch_providers) if movie.watch_providers is not None else None,
        "web_enrichment": dict(movie.enrichment) if movie.enrichment is not None else None,
        "source": movie.source, "original_title": movie.original_title, "certification": movie.certification,
        "popular_rank": movie.popular_rank,
    }


def store_films(conn: psycopg.Connection, films: Iterable[Movie], *, partial: bool = False) -> int:
    """Store fetched films in the caller's transaction (`partial`: list-endpoint films, new ids only); films
    without a title are left out. Returns the number of films sent."""
    documents = [film_document(m) for m in films if (m.title or "").strip()]
    for start in range(0, len(documents), FILMS_PER_CALL):
        conn.execute(load_sql(__name__, "store_films"), (Jsonb(documents[start:start + FILMS_PER_CALL]), partial))
    return len(documents)


def store_list(conn: psycopg.Connection, key: str, ids: Sequence[int]) -> None:
    """Cache a list endpoint's film ids (all stored films) under `key`."""
    conn.execute(load_sql(__name__, "store_list"), (key, [int(i) for i in ids]))


def cached_list(conn: psycopg.Connection, key: str) -> dict[str, Any] | None:
    """{movie_ids, fetched_at} cached under `key`, or None."""
    return conn.execute(load_sql(__name__, "cached_list"), (key,)).fetchone()


def latest_trending(conn: psycopg.Connection, prefix: str) -> list[int]:
    """The newest trending list under `trending:<source>:<window>:` (e.g. yesterday's), or []."""
    row = conn.execute(load_sql(__name__, "latest_trending"), (prefix,)).fetchone()
    return list(row["movie_ids"] or ()) if row else []


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
