"""CatalogSource: the MovieSource served from the bundled catalog, with no network at all."""

from __future__ import annotations

import hashlib
import heapq
import logging
import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from rapidfuzz import fuzz, process

from cine_core.domain.errors import TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.domain.titles import normalize_title, title_key
from cine_core.films.catalog import catalog_movies
from cine_core.films.title_aliases import NONE as NO_ALIASES
from cine_core.films.title_aliases import Aliases, in_year_window, title_aliases
from cine_core.films.title_forms import variant_key
from cine_core.memory import process_wide

log = logging.getLogger(__name__)

TRENDING_POOL_SIZE = 600  # films eligible for trending; a day's window is drawn from these
RECENCY_HALF_LIFE_YEARS = 8.0
TRENDING_MIN_VOTES = 50  # keeps the popular list's obscure tail (and its junk) off the trending shelf
SEARCH_MIN_SCORE = 80.0  # rapidfuzz 0..100
# How much each kind of shared trait counts when relating two films.
SIMILAR_WEIGHTS = {"genre": 1.0, "keyword": 1.5, "director": 2.5, "cast": 1.0}
RECOMMEND_WEIGHTS = {"genre": 1.0, "keyword": 1.0, "director": 3.0, "cast": 2.0}


class CatalogSource:
    """Offline MovieSource over the bundled catalog (or any films passed in, for tests)."""

    name = "catalog"

    def __init__(self, movies: Sequence[Movie] | None = None, aliases: Mapping[int, Aliases] | None = None) -> None:
        """`aliases`: other titles and years per film id (default: the bundled catalog's, when `movies` is too)."""
        self._movies = tuple(movies) if movies is not None else catalog_movies()
        self._aliases = aliases if aliases is not None else ({} if movies is not None else title_aliases())
        self._by_id = {m.id: m for m in self._movies}
        self._by_imdb = {m.imdb_id: m for m in self._movies if m.imdb_id}
        self._keys = [title_key(m.title) for m in self._movies]
        # Title keys -> positions: the title, the original title and the aliases, each also in its variant form
        # ('Baskın' and 'Baskin', 'Red Cliff Part II' and 'Red Cliff II' are one key).
        self._exact: dict[str, list[int]] = defaultdict(list)
        for position, m in enumerate(self._movies):
            titles = (m.title, m.original_title or "", *self._aliases.get(m.id, NO_ALIASES).titles)
            for key in {k for t in titles for k in (title_key(t), variant_key(t))} - {""}:
                self._exact[key].append(position)
        self._index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for m in self._movies:
            for kind, values in _traits(m).items():
                for value in values:
                    self._index[(kind, value)].append(m.id)
        self._latest_year = max((m.year for m in self._movies if m.year), default=date.today().year)
        self._trending_pool = self._rank_trending_pool()
        self._by_genre: dict[str, frozenset[int]] | None = None  # discover's index, built on its first call

    # --- MovieSource --------------------------------------------------------------------------
    def trending(self, window: str = "day", *, limit: int = 40, today: date | None = None) -> list[Movie]:
        """A popularity- and recency-weighted sample that changes every day (or ISO week); stable within it."""
        today = today or date.today()
        period = f"{today.isocalendar().year}-W{today.isocalendar().week}" if window == "week" else today.isoformat()
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{window}:{period}".encode()).digest()[:8], "big"))
        # Weighted sampling without replacement (Efraimidis–Spirakis): key = u ** (1 / weight).
        keyed = sorted(self._trending_pool, key=lambda mw: rng.random() ** (1.0 / mw[1]), reverse=True)
        return [m for m, _ in keyed[:limit]]

    def details(self, movie_id: int) -> Movie:
        try:
            return self._by_id[int(movie_id)]
        except KeyError:
            raise TMDBNotFound(f"Film {movie_id} is not in the offline catalog") from None

    def recommendations(self, movie_id: int, *, limit: int = 20) -> list[Movie]:
        return self._related(movie_id, RECOMMEND_WEIGHTS, limit)

    def similar(self, movie_id: int, *, limit: int = 20) -> list[Movie]:
        return self._related(movie_id, SIMILAR_WEIGHTS, limit)

    def search(self, title: str, year: int | None = None, *, limit: int = 10) -> list[Movie]:
        """Films whose title or original title matches (accents/case ignored); with `year`, only year ±1.

        Exact (normalised) titles answer from an index; only when none fits is the fuzzy scan run.
        """
        key = title_key(title)
        if not key:
            return []
        exact = [(100.0, i) for i in dict.fromkeys((*self._exact.get(key, ()), *self._exact.get(variant_key(title), ())))]
        found = self._rank(exact, year, limit)
        if found:
            return found
        hits = process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=SEARCH_MIN_SCORE, limit=200)
        return self._rank([(score, idx) for _, score, idx in hits], year, limit)

    def _rank(self, hits: list[tuple[float, int]], year: int | None, limit: int) -> list[Movie]:
        scored = []
        for score, idx in hits:
            movie = self._movies[idx]
            other_years = self._aliases.get(movie.id, NO_ALIASES).years
            if year is not None and not in_year_window(movie.year, other_years, year):
                continue
            exact_year = year is not None and (movie.year == year or year in other_years)
            scored.append(((score, exact_year, movie.vote_count, movie.popularity), movie))
        scored.sort(key=lambda sm: sm[0], reverse=True)
        return [m for _, m in scored[:limit]]

    def discover(
        self,
        *,
        genres: Sequence[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
        runtime_max: int | None = None,
        limit: int = 20,
    ) -> list[Movie]:
        """Films having every genre asked for, within the years and runtime, most popular first."""
        by_genre = self._genre_index()
        wanted = [by_genre.get(normalize_title(g), frozenset()) for g in genres]
        positions = frozenset.intersection(*wanted) if wanted else range(len(self._movies))
        found = [
            m for m in (self._movies[i] for i in sorted(positions))
            if (year_from is None or (m.year is not None and m.year >= year_from))
            and (year_to is None or (m.year is not None and m.year <= year_to))
            and (runtime_max is None or (m.runtime is not None and m.runtime <= runtime_max))
        ]
        return heapq.nlargest(limit, found, key=lambda m: (m.popularity, m.vote_count))

    def find_imdb(self, imdb_id: str) -> Movie | None:
        return self._by_imdb.get((imdb_id or "").strip())

    # --- internals ----------------------------------------------------------------------------
    def _genre_index(self) -> dict[str, frozenset[int]]:
        """{normalised genre: positions of its films}: each distinct genre name is normalised once (a scan that
        normalised every film's genres cost 1.7 s per discover call)."""
        if self._by_genre is None:
            names: dict[str, str] = {}
            index: dict[str, set[int]] = defaultdict(set)
            for position, m in enumerate(self._movies):
                for genre in m.genres:
                    if genre not in names:
                        names[genre] = normalize_title(genre)
                    index[names[genre]].add(position)
            self._by_genre = {genre: frozenset(found) for genre, found in index.items()}
        return self._by_genre

    def _rank_trending_pool(self) -> list[tuple[Movie, float]]:
        """This year's films when the catalog carries TMDB's popular list, else popularity × recency."""
        newest = max((m.year for m in self._movies if m.popular_rank and m.year and m.vote_count >= TRENDING_MIN_VOTES),
                     default=None)
        weighted = []
        for m in self._movies:
            if not m.year or not m.genres or m.vote_count < TRENDING_MIN_VOTES:
                continue
            if newest is not None:
                if not m.popular_rank or m.year < newest - 1:
                    continue
                weight = m.popular_rank ** -0.75  # the top of the list dominates, the tail still rotates in
            else:
                age = max(0, self._latest_year - m.year)
                weight = math.log1p(m.popularity) * 0.5 ** (age / RECENCY_HALF_LIFE_YEARS)
            if weight > 0:
                weighted.append((m, weight))
        weighted.sort(key=lambda mw: mw[1], reverse=True)
        return weighted[:TRENDING_POOL_SIZE]

    def _related(self, movie_id: int, weights: dict[str, float], limit: int) -> list[Movie]:
        seed = self.details(movie_id)
        scores: dict[int, float] = defaultdict(float)
        for kind, values in _traits(seed).items():
            for value in values:
                postings = self._index.get((kind, value), ())
                # Rare traits say more than common ones ("heist" vs "Drama").
                weight = weights[kind] / math.log2(2 + len(postings) / 50)
                for other in postings:
                    if other != seed.id:
                        scores[other] += weight
        by_id = self._by_id
        ranked = heapq.nlargest(limit, scores.items(),
                                key=lambda item: (item[1] + 0.05 * math.log1p(by_id[item[0]].popularity), item[0]))
        return [by_id[i] for i, _ in ranked]


def _traits(movie: Movie) -> dict[str, set[str]]:
    return {
        "genre": {g.lower() for g in movie.genres},
        "keyword": {k.lower() for k in movie.keywords},
        "director": {d.lower() for d in movie.directors},
        "cast": {c.lower() for c in movie.cast},
    }


@process_wide
def shared_catalog_source() -> CatalogSource:
    """One CatalogSource per process over the bundled catalog (building its indexes takes ~1 s). Built under a
    lock: the app's warm-up thread and a first search no longer both build one (and keep different ones)."""
    return CatalogSource()
