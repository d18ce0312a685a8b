"""MovieStore: the shared film cache in front of a MovieSource (TMDB or the catalog).

A film's details are fetched once per TTL for all users (rows in `movies` with `fetched_at`); list
endpoints (trending per window per day, similar, discover, search) are cached in `source_cache`.
When the source fails, what is cached is served; the error is raised only if nothing is.
Films are read as every signed-in person reads them (`shared_transaction`); the cache itself is read and
written through security-definer functions (`cache_functions`) as the pool's own login: the same calls on
the app's pool (cine_app, no service rights) and on the worker's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta

from psycopg_pool import ConnectionPool

from cine_core.db import app_transaction, shared_transaction
from cine_core.domain.errors import TMDBError, TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.domain.protocols import MovieSource
from cine_core.domain.titles import normalize_title
from cine_core.films import cache_functions
from cine_core.films.row_cache import movies_by_ids  # rows.movies_by_ids, parsed once per row version
from cine_core.metering.usage import UsageRecorder

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(days=7)
SIMILAR_PER_ENDPOINT = 20


class MovieStore:
    """Films for everyone, fetched through `source` only when `movies` lacks them or they are stale."""

    def __init__(
        self,
        pool: ConnectionPool,
        source: MovieSource,
        *,
        ttl: timedelta = DEFAULT_TTL,
        usage: UsageRecorder | None = None,
        enrich: Callable[[Movie], Movie] | None = None,
    ) -> None:
        """`enrich` (e.g. wiki.WikipediaEnricher) is applied to freshly fetched films before they are stored;
        `usage` is kept for callers that record calls made on the store's behalf."""
        self.pool = pool
        self.source = source
        self.ttl = ttl
        self.usage = usage or UsageRecorder(pool)
        self._enrich = enrich
        self._fetch_locks = KeyedLocks()
        self._logged_errors: set[str] = set()

    # --- films ------------------------------------------------------------------------------------
    def get(self, ids: Iterable[int]) -> dict[int, Movie]:
        """Films by id; details fetched only for missing or stale rows. Unknown ids are absent."""
        wanted = list(dict.fromkeys(int(i) for i in ids))
        with shared_transaction(self.pool) as conn:
            found = movies_by_ids(conn, wanted)
        if not [i for i in wanted if self._needs_fetch(found.get(i))]:
            return found
        # One fetcher per film in this process (others fetch other films meanwhile); re-read under the
        # films' locks so what a concurrent caller just fetched is reused, not fetched again.
        missing = [i for i in wanted if self._needs_fetch(found.get(i))]
        with self._fetch_locks.holding(missing):
            with shared_transaction(self.pool) as conn:
                found = movies_by_ids(conn, wanted)
            fetched, error = self._fetch_details([i for i in missing if self._needs_fetch(found.get(i))])
            if fetched:
                with app_transaction(self.pool) as conn:
                    cache_functions.store_films(conn, fetched)
                with shared_transaction(self.pool) as conn:
                    found.update(movies_by_ids(conn, [m.id for m in fetched]))
        if error is not None and not found:
            raise error
        return found

    def movie(self, movie_id: int) -> Movie | None:
        return self.get([movie_id]).get(int(movie_id))

    # --- lists ------------------------------------------------------------------------------------
    def trending(self, window: str = "day", *, limit: int = 40, today: date | None = None) -> list[Movie]:
        """Trending films, cached per source, window and day (ISO week for 'week')."""
        today = today or date.today()
        period = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}" if window == "week" else today.isoformat()
        prefix = f"trending:{self.source.name}:{window}:"
        return self._cached_list(
            prefix + period, lambda: self.source.trending(window, limit=limit, today=today), limit, fallback_prefix=prefix
        )

    def similar_to(self, movie_id: int, *, limit: int = 20) -> list[Movie]:
        """Recommendations ∪ similar for one film (recommendations first), never the film itself."""

        def fetch() -> list[Movie]:
            merged: dict[int, Movie] = {}
            errors = []
            for endpoint in (self.source.recommendations, self.source.similar):
                try:
                    for film in endpoint(movie_id, limit=SIMILAR_PER_ENDPOINT):
                        merged.setdefault(film.id, film)
                except TMDBNotFound:
                    continue
                except TMDBError as exc:
                    errors.append(exc)
            if errors and not merged:
                raise errors[0]
            merged.pop(int(movie_id), None)
            return list(merged.values())

        return self._cached_list(f"similar:{self.source.name}:{int(movie_id)}", fetch, limit)

    def discover(
        self,
        *,
        genres: Sequence[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
        runtime_max: int | None = None,
        limit: int = 20,
    ) -> list[Movie]:
        args = {"genres": sorted(genres), "year_from": year_from, "year_to": year_to, "runtime_max": runtime_max}
        key = f"discover:{self.source.name}:{json.dumps(args, sort_keys=True)}:{limit}"
        return self._cached_list(key, lambda: self.source.discover(**{**args, "genres": tuple(genres)}, limit=limit),
                                 limit)

    def search(self, title: str, year: int | None = None, *, limit: int = 10) -> list[Movie]:
        key = f"search:{self.source.name}:{normalize_title(title)}:{year or ''}:{limit}"
        return self._cached_list(key, lambda: self.source.search(title, year, limit=limit), limit)

    # --- internals --------------------------------------------------------------------------------
    def _needs_fetch(self, movie: Movie | None) -> bool:
        if movie is None:
            return True
        if self.source.name == "catalog":
            return False  # the catalog is the freshest data there is offline
        if movie.source != self.source.name:
            return True  # live data wins over catalog rows
        return movie.fetched_at is None or movie.fetched_at < datetime.now(UTC) - self.ttl

    def _fetch_details(self, ids: list[int]) -> tuple[list[Movie], TMDBError | None]:
        fetched: list[Movie] = []
        for movie_id in ids:
            try:
                movie = self.source.details(movie_id)
            except TMDBNotFound:
                log.debug("%s has no film %s", self.source.name, movie_id)
                continue
            except TMDBError as exc:
                # The service is down or refusing us: stop asking, serve what is cached.
                self._log_once(exc, "details")
                return fetched, exc
            fetched.append(self._enrich(movie) if self._enrich else movie)
        return fetched, None

    def _cached_list(self, key: str, fetch: Callable[[], list[Movie]], limit: int, *,
                     fallback_prefix: str | None = None) -> list[Movie]:
        with app_transaction(self.pool) as conn:
            row = cache_functions.cached_list(conn, key)
        if row and row["fetched_at"] >= datetime.now(UTC) - self.ttl:
            return self._films_in_order(row["movie_ids"], limit)
        try:
            films = fetch()
        except TMDBError as exc:
            self._log_once(exc, key.split(":", 1)[0])
            stale = row["movie_ids"] if row else self._latest_ids(fallback_prefix)
            if not stale:
                raise
            return self._films_in_order(stale, limit)
        films = [m for m in films if (m.title or "").strip()]  # a film without a title is no film to show
        ids = list(dict.fromkeys(m.id for m in films))
        with app_transaction(self.pool) as conn:
            cache_functions.store_films(conn, films, partial=True)  # new ids only; details come via get()
            cache_functions.store_list(conn, key, ids)
        return self._films_in_order(ids, limit)

    def _films_in_order(self, ids: Sequence[int], limit: int) -> list[Movie]:
        with shared_transaction(self.pool) as conn:
            return _in_order(movies_by_ids(conn, ids), ids)[:limit]

    def _latest_ids(self, prefix: str | None) -> list[int]:
        if not prefix:
            return []
        with app_transaction(self.pool) as conn:
            return cache_functions.latest_trending(conn, prefix)

    def _log_once(self, exc: TMDBError, what: str) -> None:
        kind = type(exc).__name__
        if kind in self._logged_errors:
            log.debug("%s still failing (%s): %s", self.source.name, what, exc)
            return
        self._logged_errors.add(kind)
        log.warning("%s failed (%s): %s; serving cached data", self.source.name, what, exc)


class KeyedLocks:
    """A lock per key, created on demand and dropped when no one holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[int, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def holding(self, keys: Iterable[int]) -> Iterator[None]:
        """Hold the locks of all `keys`, taken in sorted order (two callers never wait on each other in a cycle)."""
        keys = sorted(set(keys))
        taken: list[int] = []
        try:
            for key in keys:
                with self._guard:
                    lock, users = self._locks.get(key, (None, 0))
                    lock = lock or threading.Lock()
                    self._locks[key] = (lock, users + 1)
                lock.acquire()
                taken.append(key)
            yield
        finally:
            for key in reversed(taken):
                with self._guard:
                    lock, users = self._locks[key]
                    if users == 1:
                        del self._locks[key]
                    else:
                        self._locks[key] = (lock, users - 1)
                lock.release()

    def __len__(self) -> int:
        with self._guard:
            return len(self._locks)


def _in_order(by_id: dict[int, Movie], ids: Sequence[int]) -> list[Movie]:
    return [by_id[i] for i in ids if i in by_id]
