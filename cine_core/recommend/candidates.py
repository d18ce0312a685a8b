"""The scout's first stage: which films to consider for one person, and where each was found.

Every list call goes through the MovieStore (shared cache). A failing source (TMDB down, 429 after
retries) is recorded and skipped: the pass goes on with what the other sources and the cache give.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cine_core.domain.errors import CineError
from cine_core.domain.models import Candidate, DiscoverySource, Movie, RatedMovie, TasteProfile
from cine_core.domain.vocabulary import MOOD_GENRES, canonical_genre

log = logging.getLogger(__name__)

TRENDING_LIMIT = 40  # per window (day, week)
SIMILAR_SEEDS = 5  # top-rated films whose similar/recommended lists are searched
SIMILAR_LIMIT = 20
QUICK_SIMILAR_SEEDS = 1  # a quick refresh looks around the newest liked film only
DISCOVER_LIMIT = 20
LIKED_RATING = 4.0  # a seed for "similar to" must be rated at least this
MIN_GENRE_AFFINITY = 0.2
# Several sources may find the same film; the most specific one is credited.
SOURCE_PRIORITY = (DiscoverySource.SIMILAR_TO_RATED, DiscoverySource.MOOD_MATCH, DiscoverySource.TRENDING,
                   DiscoverySource.POPULAR_FALLBACK)


class CandidateStore(Protocol):
    """The part of cine_core.films.cache.MovieStore the scout uses."""

    def get(self, ids: Iterable[int]) -> dict[int, Movie]: ...
    def trending(self, window: str = "day", limit: int = 40) -> list[Movie]: ...
    def similar_to(self, movie_id: int, limit: int = 20) -> list[Movie]: ...
    def discover(self, *, genres: Sequence[str] = (), year_from: int | None = None, year_to: int | None = None,
                 runtime_max: int | None = None, limit: int = 20) -> list[Movie]: ...


MIN_FEATURE_RUNTIME = 40  # minutes: the Academy's line between shorts and features
SHORT_KEYWORDS = frozenset({"short", "short film", "disney short", "pixar short", "animated short"})
# "In this Oscar-winning short film, …" — but not "based on a short film" / "a short film festival".
_SHORT_OVERVIEW = re.compile(r"(?<!based on a )(?<!based on the )\bshort (?:film|documentary)\b(?! festival)", re.I)


def is_feature(movie: Movie) -> bool:
    """Shorts (promo prequels, festival shorts) are not what people mean by a film to watch tonight.
    An unknown runtime passes unless the film's keywords or overview say it is a short: list results carry
    no runtime until the film is enriched, and ~1,900 catalog films have none (Piper, If Anything Happens…)."""
    if movie.runtime:
        return movie.runtime >= MIN_FEATURE_RUNTIME
    if SHORT_KEYWORDS.intersection(k.lower() for k in movie.keywords or ()):
        return False
    return not _SHORT_OVERVIEW.search(movie.overview or "")


@dataclass(slots=True)
class CandidatePool:
    """Films found so far (first source by priority wins) and the errors met on the way."""

    found: dict[int, Candidate] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, movies: Iterable[Movie], source: DiscoverySource) -> None:
        for movie in movies:
            if not is_feature(movie):
                continue
            current = self.found.get(movie.id)
            if current is None or SOURCE_PRIORITY.index(source) < SOURCE_PRIORITY.index(current.discovery_source):
                self.found[movie.id] = Candidate(movie, source)

    def collect(self, what: str, source: DiscoverySource, fetch: Callable[[], list[Movie]]) -> None:
        try:
            self.add(fetch(), source)
        except CineError as exc:
            log.warning("Scout: %s failed, continuing with what is cached: %s", what, exc)
            self.errors.append(f"{what}: {exc}")

    def without(self, excluded: set[int]) -> list[Candidate]:
        return [c for movie_id, c in self.found.items() if movie_id not in excluded]


def similar_seeds(rated: Sequence[RatedMovie], count: int) -> list[int]:
    """The user's best-rated films, most recent first among equals."""
    liked = [r for r in rated if r.rating >= LIKED_RATING]
    liked.sort(key=lambda r: (r.rating, r.rated_at.timestamp() if r.rated_at else 0.0), reverse=True)
    return [r.movie.id for r in liked[:count]]


def newest_liked(rated: Sequence[RatedMovie], count: int) -> list[int]:
    liked = [r for r in rated if r.rating >= LIKED_RATING]
    liked.sort(key=lambda r: r.rated_at.timestamp() if r.rated_at else 0.0, reverse=True)
    return [r.movie.id for r in liked[:count]]


def mood_queries(profile: TasteProfile) -> list[tuple[str, ...]]:
    """Genre sets to discover from: the two most liked genres, and the genres of the most wanted mood."""
    removed = profile.removed
    liked = sorted(((v, canonical_genre(g)) for g, v in profile.genres.items()
                    if v >= MIN_GENRE_AFFINITY and f"genre:{g}" not in removed), reverse=True)
    queries: list[tuple[str, ...]] = [(genre,) for _, genre in liked[:2]]
    moods = sorted(((v, m) for m, v in profile.moods.items() if v > 0 and m in MOOD_GENRES), reverse=True)
    if moods:
        queries.append(MOOD_GENRES[moods[0][1]][:2])
    return list(dict.fromkeys(queries))


def gather(store: CandidateStore, profile: TasteProfile, rated: Sequence[RatedMovie]) -> CandidatePool:
    """A full scout's candidates: trending (day + week), similar to top-rated films, mood/genre discover."""
    found = CandidatePool()
    for window in ("day", "week"):
        found.collect(f"trending/{window}", DiscoverySource.TRENDING,
                      lambda w=window: store.trending(w, limit=TRENDING_LIMIT))
    for movie_id in similar_seeds(rated, SIMILAR_SEEDS):
        found.collect(f"similar/{movie_id}", DiscoverySource.SIMILAR_TO_RATED,
                      lambda m=movie_id: store.similar_to(m, limit=SIMILAR_LIMIT))
    for genres in mood_queries(profile):
        found.collect(f"discover/{'+'.join(genres)}", DiscoverySource.MOOD_MATCH,
                      lambda g=genres: store.discover(genres=g, limit=DISCOVER_LIMIT))
    return found


def quick_seeds(rated: Sequence[RatedMovie], trigger: int | None) -> list[int]:
    """Where a quick refresh looks for similar films: the film whose rating or chat triggered it (the queue's
    `movie_id`), unless the person rated it below LIKED_RATING; else the newest liked film."""
    disliked = {r.movie.id for r in rated if r.rating < LIKED_RATING}
    seeds = ([int(trigger)] if trigger is not None and int(trigger) not in disliked else [])
    return list(dict.fromkeys(seeds + newest_liked(rated, QUICK_SIMILAR_SEEDS)))[:QUICK_SIMILAR_SEEDS]


def gather_quick(
    store: CandidateStore, rated: Sequence[RatedMovie], previous: Sequence[tuple[int, str]],
    trigger: int | None = None,
) -> CandidatePool:
    """A quick refresh's candidates: the last candidate set and current picks, plus films similar to
    the film that triggered it (`trigger`, see quick_seeds) or the newest liked one. No trending call."""
    found = CandidatePool()
    by_source: dict[DiscoverySource, list[int]] = {}
    for movie_id, source in previous:
        by_source.setdefault(DiscoverySource(source), []).append(movie_id)
    known_ids = [movie_id for movie_id, _ in previous]
    films: dict[int, Movie] = {}
    if known_ids:
        try:
            films = store.get(known_ids)
        except CineError as exc:
            log.warning("Scout: could not load the previous candidates: %s", exc)
            found.errors.append(f"details: {exc}")
    for source, ids in by_source.items():
        found.add((films[i] for i in ids if i in films), source)
    for movie_id in quick_seeds(rated, trigger):
        found.collect(f"similar/{movie_id}", DiscoverySource.SIMILAR_TO_RATED,
                      lambda m=movie_id: store.similar_to(m, limit=SIMILAR_LIMIT))
    return found


def enrich(store: CandidateStore, candidates: Sequence[Candidate], errors: list[str]) -> list[Candidate]:
    """Full film records from the shared cache (fetched once per TTL for everyone); a film the store
    cannot return keeps its list-level data."""
    try:
        full = store.get([c.movie.id for c in candidates])
    except CineError as exc:
        log.warning("Scout: enrichment failed, using list data: %s", exc)
        errors.append(f"details: {exc}")
        full = {}
    enriched = (Candidate(full.get(c.movie.id, c.movie), c.discovery_source) for c in candidates)
    return [c for c in enriched if is_feature(c.movie)]
