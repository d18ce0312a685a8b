"""bench.cost's TMDB stand-in: the test fake (tests/fake_tmdb.py) over the offline catalog, with trending lists
that move on every simulated day and answers computed once per run.

At 1,000 users the fake itself was a large share of the bench's CPU: each similar/recommendations list scored the
whole catalog in Python (~50 ms a list, up to two lists per film people rate) and each discover normalised every
film's genres (~0.5 s). FastCatalog gives the same lists (same scores, same order) from numpy postings and
genre sets built once; DailyTMDB keeps each list for the run (a second page of a list is not scored again).
Every request is still counted, as TMDB would bill it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import httpx
import numpy as np

from cine_core.domain.models import Movie
from cine_core.domain.titles import normalize_title
from cine_core.films.catalog_source import CatalogSource, _traits
from tests.fake_tmdb import FakeTMDB

NEW_TRENDING_PER_DAY = 8
TRENDING_PAGE_FILMS = 60
_TRENDING = re.compile(r"^/3/trending/movie/(day|week)$")


class FastCatalog(CatalogSource):
    """CatalogSource whose related lists and discover answers are computed with arrays built once."""

    def __init__(self, movies: Sequence[Movie] | None = None) -> None:
        super().__init__(movies)
        self._ids = np.asarray([m.id for m in self._movies], dtype=np.int64)
        self._position = {m.id: i for i, m in enumerate(self._movies)}
        self._bonus = np.asarray([0.05 * math.log1p(m.popularity) for m in self._movies], dtype=np.float64)
        self._postings = {key: np.asarray([self._position[i] for i in ids], dtype=np.int64)
                          for key, ids in self._index.items()}
        self._genre_sets = [frozenset(normalize_title(g) for g in m.genres) for m in self._movies]
        self._lists: dict[tuple, list[Movie]] = {}

    def _related(self, movie_id: int, weights: dict[str, float], limit: int) -> list[Movie]:
        """CatalogSource._related: the same sums in the same order (np.bincount adds in input order), the same
        key (score + 0.05·log1p(popularity)) and the same order (key, then id, both descending)."""
        key = (movie_id, tuple(sorted(weights.items())), limit)
        if key in self._lists:
            return self._lists[key]
        seed = self.details(movie_id)
        positions, values = [], []
        for kind, names in _traits(seed).items():
            for name in names:
                postings = self._postings.get((kind, name))
                if postings is None:
                    continue
                weight = weights[kind] / math.log2(2 + len(postings) / 50)
                positions.append(postings)
                values.append(np.full(len(postings), weight))
        if not positions:
            self._lists[key] = []
            return []
        where = np.concatenate(positions)
        scores = np.bincount(where, weights=np.concatenate(values), minlength=len(self._movies))
        seen = np.zeros(len(self._movies), dtype=bool)
        seen[where] = True
        seen[self._position[seed.id]] = False
        candidates = np.flatnonzero(seen)
        ranking = scores[candidates] + self._bonus[candidates]
        order = np.lexsort((self._ids[candidates], ranking))[::-1][:limit]
        found = [self._movies[candidates[i]] for i in order]
        self._lists[key] = found
        return found

    def discover(self, *, genres: Sequence[str] = (), year_from: int | None = None, year_to: int | None = None,
                 runtime_max: int | None = None, limit: int = 20) -> list[Movie]:
        key = (tuple(genres), year_from, year_to, runtime_max, limit)
        if key in self._lists:
            return self._lists[key]
        wanted = {normalize_title(g) for g in genres}
        found = [
            m for m, names in zip(self._movies, self._genre_sets, strict=True)
            if wanted <= names
            and (year_from is None or (m.year is not None and m.year >= year_from))
            and (year_to is None or (m.year is not None and m.year <= year_to))
            and (runtime_max is None or (m.runtime is not None and m.runtime <= runtime_max))
        ]
        found.sort(key=lambda m: (m.popularity, m.vote_count), reverse=True)
        self._lists[key] = found[:limit]
        return self._lists[key]


class DailyTMDB(FakeTMDB):
    """The fake TMDB whose trending lists move on by NEW_TRENDING_PER_DAY films every simulated day."""

    day = 0

    def __init__(self, catalog: CatalogSource | None = None) -> None:
        super().__init__(catalog or FastCatalog())
        self._answers: dict[str, tuple[int, bytes]] = {}  # every non-trending answer is fixed for the run

    def __call__(self, request: httpx.Request) -> httpx.Response:
        match = _TRENDING.match(request.url.path)
        if match is None and self.mode == "ok":
            url = str(request.url)
            if url not in self._answers:
                answer = super().__call__(request)
                self._answers[url] = (answer.status_code, answer.read())
                return httpx.Response(answer.status_code, content=self._answers[url][1],
                                      headers={"content-type": "application/json"})
            with self._lock:
                self.calls[self._kind(request.url.path)] += 1
            status, body = self._answers[url]
            return httpx.Response(status, content=body, headers={"content-type": "application/json"})
        if match is None or self.mode != "ok":
            return super().__call__(request)
        with self._lock:
            self.calls["trending"] += 1
        films = self.catalog.trending(match.group(1), limit=TRENDING_PAGE_FILMS + 40 * NEW_TRENDING_PER_DAY)
        start = self.day * NEW_TRENDING_PER_DAY
        return self._page(films[start:start + TRENDING_PAGE_FILMS], int(request.url.params.get("page", "1")))
