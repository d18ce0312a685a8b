"""Match import rows to films: by TMDB id, by IMDb id, else by title + year (fuzzy, year ±1).

A doubtful match is no match: the best candidate must be clearly similar and not tied with another film.
"""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.errors import TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.domain.protocols import MovieSource
from cine_core.domain.titles import title_key, title_similarity
from cine_core.films.rows import movies_by_ids, row_to_movie
from cine_core.imports.rows import ImportRow

log = logging.getLogger(__name__)

MIN_TITLE_SIMILARITY = 90.0  # 0..100; below this a title is a different film
MIN_TITLE_SIMILARITY_NO_YEAR = 100.0  # without a year only an exact (normalised) title will do


class RowMatcher:
    """Remembers what it matched (one lookup per title/year) and which films are not yet stored."""

    def __init__(self, pool: ConnectionPool, source: MovieSource) -> None:
        self._pool = pool
        self._source = source
        self._cache: dict[tuple, Movie | None] = {}
        self._to_store: dict[int, Movie] = {}

    def films_to_store(self) -> list[Movie]:
        return list(self._to_store.values())

    def match(self, row: ImportRow) -> Movie | None:
        key = (row.tmdb_id, row.imdb_id, title_key(row.title), row.year)
        if key not in self._cache:
            self._cache[key] = self._match(row)
        return self._cache[key]

    def _match(self, row: ImportRow) -> Movie | None:
        if row.tmdb_id:
            return self._by_tmdb_id(row.tmdb_id)
        if row.imdb_id:
            found = self._by_imdb_id(row.imdb_id)
            if found is not None:
                return found
        for title in dict.fromkeys(t for t in (row.title, row.original_title) if t):
            found = self._by_title(title, row.year)
            if found is not None:
                return found
        return None

    def _by_tmdb_id(self, tmdb_id: int) -> Movie | None:
        with transaction(self._pool) as conn:
            stored = movies_by_ids(conn, [tmdb_id]).get(tmdb_id)
        if stored is not None:
            return stored
        try:
            movie = self._source.details(tmdb_id)
        except TMDBNotFound:
            return None
        return self._remember(movie)

    def _by_imdb_id(self, imdb_id: str) -> Movie | None:
        with transaction(self._pool) as conn:
            row = conn.execute("select * from public.movies where imdb_id = %s limit 1", (imdb_id,)).fetchone()
        if row is not None:
            return row_to_movie(row)
        movie = self._source.find_imdb(imdb_id)
        return self._remember(movie) if movie is not None else None

    def _by_title(self, title: str, year: int | None) -> Movie | None:
        candidates = self._source.search(title, year, limit=10)
        if year is not None and not candidates:
            candidates = self._source.search(title, None, limit=10)
        best = choose_match(title, year, candidates)
        return self._remember(best) if best is not None else None

    def _remember(self, movie: Movie) -> Movie:
        self._to_store.setdefault(movie.id, movie)
        return movie


def choose_match(title: str, year: int | None, candidates: list[Movie]) -> Movie | None:
    """The one candidate that is clearly this film, or None when none is (or two are equally likely)."""
    scored = []
    for movie in candidates:
        similarity = title_similarity(title, movie.title)
        if year is not None:
            if movie.year is None or abs(movie.year - year) > 1:
                continue
            if similarity < MIN_TITLE_SIMILARITY:
                continue
            year_gap = abs(movie.year - year)
        else:
            if similarity < MIN_TITLE_SIMILARITY_NO_YEAR:
                continue
            year_gap = 0
        scored.append(((similarity, -year_gap), movie))
    if not scored:
        return None
    scored.sort(key=lambda sm: sm[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1].id != scored[1][1].id:
        log.info("Import: %r (%s) is ambiguous between %d films; not matched", title, year, len(scored))
        return None
    return scored[0][1]
