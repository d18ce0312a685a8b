"""A fake TMDB for httpx.MockTransport, serving the offline catalog as TMDB v3 JSON.

Used by the scout/worker tests and the scout benchmark: every request is counted by kind ('details',
'trending', 'similar', 'recommendations', 'discover', 'genres'), and `mode` switches the whole
service to 'down' (503) or 'rate_limited' (429) to test degraded passes.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

import httpx

from cine_core.domain.models import Movie
from cine_core.films.catalog_source import CatalogSource
from cine_core.films.tmdb.client import FALLBACK_GENRES, TMDBClient

PAGE_SIZE = 20
GENRE_IDS = {name.lower(): gid for gid, name in FALLBACK_GENRES.items()}
_DETAILS = re.compile(r"^/3/movie/(\d+)$")
_RELATED = re.compile(r"^/3/movie/(\d+)/(similar|recommendations)$")
_TRENDING = re.compile(r"^/3/trending/movie/(day|week)$")
_PROVIDERS = re.compile(r"^/3/movie/(\d+)/watch/providers$")


def _item(movie: Movie) -> dict:
    return {
        "id": movie.id, "media_type": "movie", "title": movie.title, "original_title": movie.title,
        "release_date": movie.release_date.isoformat() if movie.release_date else "",
        "overview": movie.overview, "genre_ids": [GENRE_IDS[g.lower()] for g in movie.genres if g.lower() in GENRE_IDS],
        "popularity": movie.popularity, "vote_average": movie.vote_average, "vote_count": movie.vote_count,
        "poster_path": movie.poster_path, "original_language": movie.original_language,
    }


def _details(movie: Movie) -> dict:
    return {
        **_item(movie), "genres": [{"id": GENRE_IDS.get(g.lower(), 0), "name": g} for g in movie.genres],
        "runtime": movie.runtime, "imdb_id": movie.imdb_id,
        "credits": {"cast": [{"name": n, "order": i} for i, n in enumerate(movie.cast)],
                    "crew": [{"name": n, "job": "Director"} for n in movie.directors]},
        "keywords": {"keywords": [{"id": i, "name": k} for i, k in enumerate(movie.keywords)]},
    }


class FakeTMDB:
    """Callable MockTransport handler. Thread-safe counters in `calls`."""

    def __init__(self, catalog: CatalogSource | None = None) -> None:
        self.catalog = catalog or CatalogSource()
        self.mode = "ok"  # 'ok' | 'down' | 'rate_limited'
        self.calls: Counter[str] = Counter()
        self.providers: dict[int, dict] = {}  # movie id -> watch/providers `results` ({region: offers}); tests change it
        self._lock = threading.Lock()

    def client(self, **kwargs) -> TMDBClient:
        """A TMDBClient wired to this fake (no retry sleeps, no pacing)."""
        kwargs.setdefault("sleep", lambda seconds: None)
        kwargs.setdefault("requests_per_second", 0)
        return TMDBClient(api_key="fake", base_url="https://tmdb.test/3",
                          http_client=httpx.Client(transport=httpx.MockTransport(self)), **kwargs)

    def count(self, kind: str) -> int:
        with self._lock:
            return self.calls[kind]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        kind = self._kind(path)
        with self._lock:
            self.calls[kind] += 1
        if self.mode == "down":
            return httpx.Response(503, json={"status_code": 503, "status_message": "fake outage"})
        if self.mode == "rate_limited":
            return httpx.Response(429, json={"status_code": 25, "status_message": "rate limited"},
                                  headers={"Retry-After": "0"})
        page = int(request.url.params.get("page", "1"))
        if kind == "genres":
            return httpx.Response(200, json={"genres": [{"id": i, "name": n} for i, n in FALLBACK_GENRES.items()]})
        if match := _PROVIDERS.match(path):
            return httpx.Response(200, json={"id": int(match.group(1)),
                                             "results": self.providers.get(int(match.group(1)), {})})
        if match := _DETAILS.match(path):
            movie = self.catalog._by_id.get(int(match.group(1)))
            if movie is None:
                return httpx.Response(404, json={"status_code": 34, "status_message": "not found"})
            return httpx.Response(200, json=_details(movie))
        if match := _TRENDING.match(path):
            films = self.catalog.trending(match.group(1), limit=3 * PAGE_SIZE)
        elif match := _RELATED.match(path):
            movie_id, how = int(match.group(1)), match.group(2)
            related = self.catalog.similar if how == "similar" else self.catalog.recommendations
            films = related(movie_id, limit=3 * PAGE_SIZE) if movie_id in self.catalog._by_id else []
        elif kind == "discover":
            names = [FALLBACK_GENRES[int(g)] for g in (request.url.params.get("with_genres") or "").split(",") if g]
            films = self.catalog.discover(genres=names, limit=3 * PAGE_SIZE)
        else:
            return httpx.Response(404, json={"status_code": 34, "status_message": "not found"})
        return self._page(films, page)

    @staticmethod
    def _kind(path: str) -> str:
        if path == "/3/genre/movie/list":
            return "genres"
        if _DETAILS.match(path):
            return "details"
        if _TRENDING.match(path):
            return "trending"
        if _PROVIDERS.match(path):
            return "watch_providers"
        if match := _RELATED.match(path):
            return match.group(2)
        if path == "/3/discover/movie":
            return "discover"
        return "other"

    @staticmethod
    def _page(films: list[Movie], page: int) -> httpx.Response:
        pages = max(1, -(-len(films) // PAGE_SIZE))
        chunk = films[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        return httpx.Response(200, json={"page": page, "results": [_item(m) for m in chunk],
                                         "total_pages": pages, "total_results": len(films)})
