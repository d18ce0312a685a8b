"""Parsed `movies` rows kept per process for the shared film cache's reads (cine_core.films.cache.MovieStore).

The scout reads the same films for everybody (a day's trending list, the lists around popular films) and
parsed them again for every person: at 200 people x 3 passes, 256 rows a scout in 8 reads. `movies_by_ids`
here returns what rows.movies_by_ids returns in the caller's transaction, but asks the database only which
version of each row is current (its xmin: every insert or update gives a row a new one, whichever process
wrote it; with the server's start time) and fetches and parses only the rows not held at
that version. A row is never served at a version
the database no longer has, so nothing needs invalidating; the oldest-used rows are dropped past MAX_ROWS.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.films.rows import row_to_movie

log = logging.getLogger(__name__)

MAX_ROWS = 20_000  # films held per process (the scout touches a few thousand; the catalog has ~44,000)


class ParsedRows:
    """Film rows parsed once per version; thread-safe (the worker's lanes share one)."""

    def __init__(self, max_rows: int = MAX_ROWS) -> None:
        self.max_rows = max_rows
        self._held: OrderedDict[int, tuple[str, Movie]] = OrderedDict()
        self._lock = threading.Lock()
        self.parsed = 0  # rows fetched and parsed (the rest were served as held)

    def movies_by_ids(self, conn: psycopg.Connection, ids: Iterable[int]) -> dict[int, Movie]:
        """Films stored in `movies` for these ids, by id (missing ids are absent), as of the caller's reads."""
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return {}
        with conn.cursor(row_factory=dict_row) as cur:
            current = {int(r["id"]): r["row_version"] for r in
                       cur.execute(load_sql(__name__, "versions"), (wanted,)).fetchall()}
        found: dict[int, Movie] = {}
        stale: list[int] = []
        with self._lock:
            for movie_id in wanted:
                version = current.get(movie_id)
                if version is None:
                    continue
                held = self._held.get(movie_id)
                if held is not None and held[0] == version:
                    self._held.move_to_end(movie_id)
                    found[movie_id] = held[1]
                else:
                    stale.append(movie_id)
        if stale:
            with conn.cursor(row_factory=dict_row) as cur:
                rows = cur.execute(load_sql(__name__, "rows"), (stale,)).fetchall()
            fresh = {int(row["id"]): (row["row_version"], row_to_movie(row)) for row in rows}
            with self._lock:
                self.parsed += len(fresh)
                for movie_id in stale:  # in id order: the most recently used are the last ids asked for
                    if movie_id in fresh:
                        self._held[movie_id] = fresh[movie_id]
                        self._held.move_to_end(movie_id)
                while len(self._held) > self.max_rows:
                    self._held.popitem(last=False)
            found.update((movie_id, movie) for movie_id, (_, movie) in fresh.items())
        return {movie_id: found[movie_id] for movie_id in wanted if movie_id in found}

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)


_shared = ParsedRows()


def movies_by_ids(conn: psycopg.Connection, ids: Iterable[int]) -> dict[int, Movie]:
    """rows.movies_by_ids through the process's ParsedRows."""
    return _shared.movies_by_ids(conn, ids)
