"""TMDBClient: the online MovieSource (TMDB v3 over httpx), mapping TMDB JSON onto Movie."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from cine_core.domain.errors import TMDBAuthError, TMDBError
from cine_core.domain.models import Movie
from cine_core.films.tmdb.schemas import FindResult, GenreList, ListItem, MovieDetails, Page
from cine_core.films.tmdb.transport import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUESTS_PER_SECOND,
    DEFAULT_TIMEOUT,
    TMDBTransport,
)
from cine_core.metering.usage import UsageRecorder

log = logging.getLogger(__name__)

DETAILS_APPEND = "credits,keywords,watch/providers,release_dates"
TOP_CAST = 8
MAX_LIST_PAGES = 3  # 20 items a page
# TMDB's movie genre ids are stable; used only if /genre/movie/list cannot be fetched.
FALLBACK_GENRES = {
    28: "Action", 12: "Adventure", 16: "Animation", 35: "Comedy", 80: "Crime", 99: "Documentary", 18: "Drama",
    10751: "Family", 14: "Fantasy", 36: "History", 27: "Horror", 10402: "Music", 9648: "Mystery",
    10749: "Romance", 878: "Science Fiction", 10770: "TV Movie", 53: "Thriller", 10752: "War", 37: "Western",
}


class TMDBClient:
    """The MovieSource backed by TMDB. Errors are cine_core.domain.errors.TMDBError subclasses."""

    name = "tmdb"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        read_access_token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        region: str = "US",
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        usage: UsageRecorder | None = None,
        requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = TMDBTransport(
            api_key=api_key, read_access_token=read_access_token, base_url=base_url, timeout=timeout,
            max_retries=max_retries, http_client=http_client, usage=usage,
            requests_per_second=requests_per_second, sleep=sleep,
        )
        self.region = region
        self._genres: dict[int, str] | None = None
        self._genres_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    # --- MovieSource --------------------------------------------------------------------------
    def trending(self, window: str = "day", *, limit: int = 40, today: date | None = None) -> list[Movie]:
        """TMDB's trending films for 'day' or 'week' (`today` is ignored: TMDB decides)."""
        if window not in ("day", "week"):
            raise ValueError(f"trending window must be 'day' or 'week', not {window!r}")
        return self._paged(f"trending/movie/{window}", "trending", {}, limit)

    def details(self, movie_id: int) -> Movie:
        body = self._http.get(f"movie/{int(movie_id)}", operation="movie_details",
                              params={"append_to_response": DETAILS_APPEND})
        return self._details_to_movie(_parse(MovieDetails, body, "movie_details"))

    def recommendations(self, movie_id: int, *, limit: int = 20) -> list[Movie]:
        return self._paged(f"movie/{int(movie_id)}/recommendations", "recommendations", {}, limit)

    def similar(self, movie_id: int, *, limit: int = 20) -> list[Movie]:
        return self._paged(f"movie/{int(movie_id)}/similar", "similar", {}, limit)

    def search(self, title: str, year: int | None = None, *, limit: int = 10) -> list[Movie]:
        return self._paged("search/movie", "search", {"query": title, "year": year, "include_adult": "false"}, limit)

    def discover(
        self,
        *,
        genres: Sequence[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
        runtime_max: int | None = None,
        limit: int = 20,
    ) -> list[Movie]:
        """`/discover/movie`: every genre asked for (AND), release years, max runtime; most popular first."""
        ids_by_name = {name.lower(): gid for gid, name in self._genre_map().items()}
        genre_ids = [str(ids_by_name[g.lower()]) for g in genres if g.lower() in ids_by_name]
        params = {
            "with_genres": ",".join(genre_ids) or None,
            "primary_release_date.gte": f"{year_from}-01-01" if year_from else None,
            "primary_release_date.lte": f"{year_to}-12-31" if year_to else None,
            "with_runtime.lte": runtime_max,
            "sort_by": "popularity.desc",
            "include_adult": "false",
        }
        return self._paged("discover/movie", "discover", params, limit)

    def find_imdb(self, imdb_id: str) -> Movie | None:
        body = self._http.get(f"find/{imdb_id.strip()}", operation="find",
                              params={"external_source": "imdb_id"})
        results = _parse(FindResult, body, "find").movie_results
        return self._item_to_movie(results[0]) if results else None

    def genres(self) -> dict[int, str]:
        """Genre id → name from `/genre/movie/list` (fetched once per client)."""
        return dict(self._genre_map())

    # --- internals ----------------------------------------------------------------------------
    def _paged(self, path: str, operation: str, params: dict[str, Any], limit: int) -> list[Movie]:
        films: dict[int, Movie] = {}  # by id: items can shift between pages while paging
        page = 1
        while len(films) < limit and page <= MAX_LIST_PAGES:
            parsed = _parse(Page, self._http.get(path, operation=operation, params={**params, "page": page}),
                            operation)
            for item in parsed.results:
                if item.media_type in (None, "movie") and item.title and item.id not in films:
                    films[item.id] = self._item_to_movie(item)
            if page >= parsed.total_pages:
                break
            page += 1
        return list(films.values())[:limit]

    def _genre_map(self) -> dict[int, str]:
        with self._genres_lock:
            if self._genres is None:
                try:
                    body = self._http.get("genre/movie/list", operation="genre_list")
                    self._genres = {g.id: g.name for g in _parse(GenreList, body, "genre_list").genres}
                except TMDBAuthError:
                    raise
                except TMDBError as exc:
                    log.warning("TMDB genre list unavailable (%s); using the built-in list", exc)
                    self._genres = dict(FALLBACK_GENRES)
            return self._genres

    def _item_to_movie(self, item: ListItem) -> Movie:
        genre_map = self._genre_map()
        return Movie(
            id=item.id,
            title=item.title or item.original_title or "",
            year=item.release_date.year if item.release_date else None,
            release_date=item.release_date,
            overview=item.overview or "",
            genres=tuple(genre_map[g] for g in item.genre_ids if g in genre_map),
            original_language=item.original_language,
            popularity=item.popularity,
            vote_average=item.vote_average,
            vote_count=item.vote_count,
            poster_path=item.poster_path,
            source="tmdb",
        )

    def _details_to_movie(self, d: MovieDetails) -> Movie:
        credits = d.credits
        cast = sorted(credits.cast, key=lambda c: c.order) if credits else []
        providers = d.watch_providers.results.get(self.region) if d.watch_providers else None
        return Movie(
            id=d.id,
            title=d.title,
            year=d.release_date.year if d.release_date else None,
            release_date=d.release_date,
            overview=d.overview or "",
            genres=tuple(g.name for g in d.genres),
            keywords=tuple(k.name for k in d.keywords.keywords) if d.keywords else (),
            directors=tuple(dict.fromkeys(c.name for c in credits.crew if c.job == "Director")) if credits else (),
            cast=tuple(c.name for c in cast[:TOP_CAST]),
            runtime=d.runtime or None,
            original_language=d.original_language,
            popularity=d.popularity,
            vote_average=d.vote_average,
            vote_count=d.vote_count,
            poster_path=d.poster_path,
            imdb_id=d.imdb_id or None,
            original_title=d.original_title if d.original_title and d.original_title != d.title else None,
            certification=_us_certification(d.release_dates),
            watch_providers={self.region: providers} if providers else None,
            source="tmdb",
            fetched_at=datetime.now(UTC),
        )


def _us_certification(release_dates: dict[str, Any] | None) -> str | None:
    """The first non-empty US certification of appended `release_dates` ('PG-13'), if any."""
    results = release_dates.get("results") if isinstance(release_dates, dict) else None
    for country in results if isinstance(results, list) else ():
        if isinstance(country, dict) and country.get("iso_3166_1") == "US":
            for entry in country.get("release_dates") or ():
                cert = entry.get("certification") if isinstance(entry, dict) else None
                if isinstance(cert, str) and cert.strip():
                    return cert.strip()[:10]
    return None


def _parse(model: type[BaseModel], body: dict[str, Any], operation: str):
    try:
        return model.model_validate(body)
    except RecursionError as exc:
        raise TMDBError(f"TMDB sent a response nested too deeply ({operation})") from exc
    except ValidationError as exc:
        raise TMDBError(f"TMDB sent an unexpected response ({operation}): {exc.error_count()} field error(s)") from exc
