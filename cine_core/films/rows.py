"""Reading and writing `movies` rows: the one mapping between the table and the Movie dataclass.

Column names differ in two places: `Movie.cast` is `top_cast`, `Movie.enrichment` is `web_enrichment`.
The static SQL lives in `rows.sql`; the merges stay here, built from MOVIE_COLUMNS so they cannot drift from it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.domain.people import join_name_parts

log = logging.getLogger(__name__)

# A fetched_at this old marks a row as "known by id only": any reader wanting details refetches it.
PARTIAL_FETCHED_AT = datetime(1970, 1, 1, tzinfo=timezone.utc)

MOVIE_COLUMNS = (
    "id", "title", "year", "release_date", "overview", "genres", "keywords", "directors", "top_cast",
    "runtime", "original_language", "popularity", "vote_average", "vote_count", "poster_path", "imdb_id",
    "watch_providers", "web_enrichment", "fetched_at", "source", "original_title", "certification", "popular_rank",
)
# Only some sources know these (the catalog, TMDB details): a source without them keeps the stored value.
_KEPT_WHEN_MISSING = ("original_title", "certification", "popular_rank")
_COLUMN_LIST = ", ".join(MOVIE_COLUMNS)
_UPDATED = ", ".join(
    f"{c} = coalesce(excluded.{c}, public.movies.{c})" if c in _KEPT_WHEN_MISSING else f"{c} = excluded.{c}"
    for c in MOVIE_COLUMNS if c not in ("id", "web_enrichment")
)

# A catalog row never replaces live TMDB data; enrichment survives a refetch that has none.
_MERGE_FULL_SQL = (
    f"insert into public.movies ({_COLUMN_LIST}) select distinct on (id) {_COLUMN_LIST} from _movies_stage"
    f" order by id on conflict (id) do update set {_UPDATED},"
    " web_enrichment = coalesce(excluded.web_enrichment, public.movies.web_enrichment)"
    " where public.movies.source <> 'tmdb' or excluded.source = 'tmdb'"
)
_MERGE_PARTIAL_SQL = (
    f"insert into public.movies ({_COLUMN_LIST}) select distinct on (id) {_COLUMN_LIST} from _movies_stage"
    " order by id on conflict (id) do nothing"
)


def row_to_movie(row: Mapping[str, Any]) -> Movie:
    """A `movies` row (dict, as from dict_row) as a Movie; tolerates missing optional columns."""
    return Movie(
        id=int(row["id"]),
        title=row["title"],
        year=row.get("year"),
        release_date=row.get("release_date"),
        overview=row.get("overview") or "",
        genres=tuple(row.get("genres") or ()),
        keywords=tuple(row.get("keywords") or ()),
        directors=join_name_parts(row.get("directors") or ()),  # rows stored split at a comma read whole
        cast=join_name_parts(row.get("top_cast") or ()),
        runtime=row.get("runtime"),
        original_language=row.get("original_language"),
        popularity=float(row.get("popularity") or 0.0),
        vote_average=row.get("vote_average"),
        vote_count=int(row.get("vote_count") or 0),
        poster_path=row.get("poster_path"),
        imdb_id=row.get("imdb_id"),
        original_title=row.get("original_title"),
        certification=row.get("certification"),
        popular_rank=row.get("popular_rank"),
        watch_providers=row.get("watch_providers"),
        enrichment=row.get("web_enrichment"),
        source=row.get("source") or "catalog",
        fetched_at=row.get("fetched_at"),
    )


def movie_to_row(movie: Movie, *, fetched_at: datetime | None = None) -> tuple:
    """Values in MOVIE_COLUMNS order."""
    return (
        movie.id, movie.title, movie.year, movie.release_date, movie.overview or "", list(movie.genres),
        list(movie.keywords), list(movie.directors), list(movie.cast), movie.runtime, movie.original_language,
        float(movie.popularity or 0.0), movie.vote_average, int(movie.vote_count or 0), movie.poster_path,
        movie.imdb_id, _jsonb(movie.watch_providers), _jsonb(movie.enrichment),
        fetched_at or movie.fetched_at or datetime.now(timezone.utc), movie.source, movie.original_title,
        movie.certification, movie.popular_rank,
    )


def upsert_movies(conn: psycopg.Connection, movies: Iterable[Movie], *, partial: bool = False) -> int:
    """Insert or update films in the caller's transaction (COPY into a staging table, then one merge).

    - A row whose source is 'tmdb' is never overwritten by a 'catalog' film.
    - `partial=True` is for list-endpoint films (no credits/keywords): they are only inserted when the id
      is new, with fetched_at = PARTIAL_FETCHED_AT so the cache fetches full details when they are wanted.
    Returns the number of films sent.
    """
    rows = [movie_to_row(m, fetched_at=PARTIAL_FETCHED_AT if partial else None) for m in movies]
    if not rows:
        return 0
    conn.execute(load_sql(__name__, "create_stage"))
    with conn.cursor().copy(f"copy _movies_stage ({_COLUMN_LIST}) from stdin") as copy:
        for row in rows:
            copy.write_row(row)
    conn.execute(_MERGE_PARTIAL_SQL if partial else _MERGE_FULL_SQL)
    conn.execute(load_sql(__name__, "drop_stage"))
    return len(rows)


def movies_by_ids(conn: psycopg.Connection, ids: Iterable[int]) -> dict[int, Movie]:
    """Films stored in `movies` for these ids (missing ids are simply absent)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(load_sql(__name__, "movies_by_ids"), (wanted,))
        return {int(row["id"]): row_to_movie(row) for row in cur.fetchall()}


def _jsonb(value: Mapping[str, Any] | None) -> Jsonb | None:
    return Jsonb(dict(value)) if value is not None else None
