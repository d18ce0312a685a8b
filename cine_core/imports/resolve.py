"""Match import rows to films: by TMDB id, by IMDb id, else by (original) title + year (fuzzy, year ±1).

An id in the row always wins over a title. A title must be clearly similar; same-title films of one year are
settled the way Letterboxd's search settles them (the better-known film), and without a year they stay a doubt.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from psycopg_pool import ConnectionPool

from cine_core.db import service_transaction
from cine_core.domain.errors import TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.domain.protocols import MovieSource
from cine_core.domain.titles import normalize_title, title_key, title_similarity
from cine_core.films.rows import movies_by_ids, row_to_movie
from cine_core.films.title_aliases import NONE as NO_ALIASES
from cine_core.films.title_aliases import Aliases, in_year_window, title_aliases
from cine_core.films.title_forms import variant_key
from cine_core.imports.rows import ImportRow

log = logging.getLogger(__name__)

MIN_TITLE_SIMILARITY = 90.0  # 0..100; below this a title is a different film
MIN_TITLE_SIMILARITY_NO_YEAR = 100.0  # without a year only an exact (normalised) title will do
CLEAR_FAVOURITE_VOTES = 50  # without a year, a same-title film wins only with this many TMDB votes…
CLEAR_FAVOURITE_RATIO = 5.0  # …and this many times the runner-up's
# With a year, same-title films are settled as Letterboxd's search does: the better-known film (TMDB votes),
# the exact year first; a film a year off wins only with this many times the votes (festival vs release year).
OFF_BY_A_YEAR_VOTE_FACTOR = 10.0

class RowMatcher:
    """Remembers what it matched (one lookup per id or title/year) and which films are not yet stored.

    Order: TMDB id, then IMDb id, then original title + year, then title + year; each step falls
    through to the next when it finds nothing. `prefetch` loads every id-carrying row's film in two queries.
    """

    def __init__(self, pool: ConnectionPool, source: MovieSource) -> None:
        self._pool = pool
        self._source = source
        self._cache: dict[tuple, Movie | None] = {}
        self._to_store: dict[int, Movie] = {}
        self._stored_by_id: dict[int, Movie] = {}
        self._stored_by_imdb: dict[str, Movie] = {}

    def films_to_store(self) -> list[Movie]:
        return list(self._to_store.values())

    def prefetch(self, rows: Iterable[ImportRow]) -> None:
        """Load the stored films of every TMDB / IMDb id in `rows` (two indexed queries, not one per row)."""
        rows = list(rows)
        tmdb_ids = sorted({r.tmdb_id for r in rows if r.tmdb_id})
        imdb_ids = sorted({r.imdb_id for r in rows if r.imdb_id})
        with service_transaction(self._pool) as conn:
            self._stored_by_id.update(movies_by_ids(conn, tmdb_ids))
            if imdb_ids:
                found = conn.execute("select * from public.movies where imdb_id = any(%s) order by vote_count desc",
                                     (imdb_ids,)).fetchall()
                for row in reversed(found):  # the most-voted film wins a shared imdb id
                    self._stored_by_imdb[row["imdb_id"]] = row_to_movie(row)

    def match(self, row: ImportRow) -> Movie | None:
        key = (row.tmdb_id, row.imdb_id, title_key(row.title), title_key(row.original_title or ""), row.year)
        if key not in self._cache:
            self._cache[key] = self._match(row)
        return self._cache[key]

    def _match(self, row: ImportRow) -> Movie | None:
        if row.tmdb_id:
            found = self._by_tmdb_id(row.tmdb_id)
            if found is not None:
                return found
        if row.imdb_id:
            found = self._by_imdb_id(row.imdb_id)
            if found is not None:
                return found
        for title in dict.fromkeys(t for t in (row.original_title, row.title) if t):
            found = self._by_title(title, row.year)
            if found is not None:
                return found
        return None

    def _by_tmdb_id(self, tmdb_id: int) -> Movie | None:
        stored = self._stored_by_id.get(tmdb_id)
        if stored is None:
            with service_transaction(self._pool) as conn:
                stored = movies_by_ids(conn, [tmdb_id]).get(tmdb_id)
        if stored is not None:
            return stored
        try:
            movie = self._source.details(tmdb_id)
        except TMDBNotFound:
            return None
        return self._remember(movie)

    def _by_imdb_id(self, imdb_id: str) -> Movie | None:
        if imdb_id in self._stored_by_imdb:
            return self._stored_by_imdb[imdb_id]
        with service_transaction(self._pool) as conn:
            row = conn.execute("select * from public.movies where imdb_id = %s order by vote_count desc limit 1",
                               (imdb_id,)).fetchone()
        if row is not None:
            return row_to_movie(row)
        movie = self._source.find_imdb(imdb_id)
        return self._remember(movie) if movie is not None else None

    def _by_title(self, title: str, year: int | None) -> Movie | None:
        best = match_title(self._source, title, year)
        return self._remember(best) if best is not None else None

    def _remember(self, movie: Movie) -> Movie:
        self._to_store.setdefault(movie.id, movie)
        return movie


def match_title(source: MovieSource, title: str, year: int | None) -> Movie | None:
    """The film a title and year name in `source` (search, year ±1 first, then any year), or None."""
    candidates = source.search(title, year, limit=10)
    if year is not None and not candidates:
        candidates = source.search(title, None, limit=10)
    return choose_match(title, year, candidates)


def choose_match(title: str, year: int | None, candidates: list[Movie],
                 aliases: Mapping[int, Aliases] | None = None) -> Movie | None:
    """The one candidate that is clearly this film, or None when none is.

    Most similar title first (a film's other titles count, and a title in its variant form, `variant_key`, is the
    same title); among equally similar ones, a title that matches with its article ('El Ángel' for "El Angel",
    not 'The Angel'); then, with a year, the better-known film, exact year preferred (Letterboxd's own rule; a
    film's other release year is exact too). Without a year two same-title films are a doubt unless one is far
    better known. `aliases`: other titles and years per film id (default: the bundled catalog's).
    """
    aliases = title_aliases() if aliases is None else aliases
    wanted = variant_key(title)
    scored = []
    for movie in candidates:
        other = aliases.get(movie.id, NO_ALIASES)
        titles = [t for t in (movie.title, movie.original_title, *other.titles) if t]
        similarity = 100.0 if wanted and any(variant_key(t) == wanted for t in titles) else max(
            title_similarity(title, t) for t in titles)
        if year is not None:
            if not in_year_window(movie.year, other.years, year) or similarity < MIN_TITLE_SIMILARITY:
                continue
            exact_year = movie.year == year or year in other.years
            weight = movie.vote_count / (1.0 if exact_year else OFF_BY_A_YEAR_VOTE_FACTOR)
        elif similarity < MIN_TITLE_SIMILARITY_NO_YEAR:
            continue
        else:
            weight = movie.vote_count
        literal = any(normalize_title(title) == normalize_title(t) for t in titles)
        scored.append(((similarity, literal), weight, movie))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1], s[2].vote_count, -s[2].id), reverse=True)
    best, rivals = scored[0][2], [s for s in scored[1:] if s[0] == scored[0][0]]
    if year is None and rivals and rivals[0][2].id != best.id:
        runner_up = rivals[0][2]
        if best.vote_count < CLEAR_FAVOURITE_VOTES or best.vote_count < CLEAR_FAVOURITE_RATIO * runner_up.vote_count:
            log.info("Import: %r (no year) is ambiguous between %d films; not matched", title, 1 + len(rivals))
            return None
    if rivals:
        log.debug("Import: %r (%s): %d same-title films, took the better known %s", title, year, 1 + len(rivals), best.id)
    return best
