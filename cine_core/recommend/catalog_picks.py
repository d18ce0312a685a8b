"""The scout's ranking stage with the catalog ranker: the whole catalog plus the films the lists found,
ordered by one fitted model, as `Match`es the rest of the pipeline (Claude, diversity, storing) takes.

- The person's history: ratings, films watched without stars (weaker evidence, never a verdict), and 👍 / 👎
  each weighing like one rating (4.5★ / 1.5★) against the whole history.
- Whole catalog: the ranker's best CATALOG_CANDIDATES films the person has not rated, watched or dismissed.
- Films the scout's lists found (trending, similar, mood) and the catalog knows are scored by the same model;
  a film the catalog lacks (a live TMDB film newer than it) is judged by the local matcher and ranked after.
- The confidence is the ranker's calibrated probability of a 4★+ rating if watched; the order is the ranker's.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cine_core.domain.models import Candidate, DiscoverySource, Match, Movie, RatedMovie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.recommend.ranker.features import HistoryItem
from cine_core.recommend.ranker.rank import CatalogRanker, RankedFilm, history_from
from cine_core.recommend.reasons import reason_for

CATALOG_CANDIDATES = 60
THUMB_RATING = {"up": 4.5, "down": 1.5}
LOVED = 4.0


@dataclass(frozen=True, slots=True)
class RankedCandidates:
    matches: list[Match]  # best first (ranker order, then films only the local matcher could judge)
    candidates: list[Candidate]  # every film in `matches`, with where it was found


_films_lock = threading.Lock()
_films: dict[int, Movie] | None = None


def _catalog_films() -> dict[int, Movie]:
    """The catalog by id, built once per process (under a lock: two first callers never build it twice)."""
    global _films
    if _films is None:
        with _films_lock:
            if _films is None:
                from cine_core.films.catalog import catalog_movies

                _films = {m.id: m for m in catalog_movies()}
    return _films


def person_history(rated: Sequence[RatedMovie], watched: Sequence[tuple[int, float]],
                   thumbs: Sequence[tuple[int, str]]) -> list[HistoryItem]:
    """Ratings, then watches without stars (dated), then 👍 / 👎 on films neither rated nor watched."""
    items = history_from(rated)
    known = {h.movie_id for h in items}
    for movie_id, when in watched:
        if movie_id not in known:
            items.append(HistoryItem(int(movie_id), None, when))
            known.add(movie_id)
    newest = max((h.order for h in items), default=0.0)
    for movie_id, kind in thumbs:
        if movie_id not in known and kind in THUMB_RATING:
            items.append(HistoryItem(int(movie_id), THUMB_RATING[kind], newest))
            known.add(movie_id)
    return items


def rank_candidates(ranker: CatalogRanker, local: Matcher, *, profile: TasteProfile, rated: Sequence[RatedMovie],
                    history: Sequence[HistoryItem], found: Sequence[Candidate], excluded: set[int],
                    today: date, limit: int = CATALOG_CANDIDATES) -> RankedCandidates:
    in_catalog = [c.movie.id for c in found if c.movie.id in ranker.index.position]
    ranked = ranker.rank(history, exclude=excluded, reference=today, released_by=today, limit=limit,
                         also=in_catalog)
    source = {c.movie.id: c for c in found}
    films = _catalog_films()
    by_id = {r.movie.id: r for r in rated}
    merged: dict[int, RankedFilm] = {}
    for film in ranked:
        merged.setdefault(film.movie_id, film)
    matches, candidates = [], []
    for film in merged.values():
        found_as = source.get(film.movie_id)
        movie = found_as.movie if found_as else films.get(film.movie_id)
        if movie is None:
            continue
        neighbour = by_id.get(film.closest_loved) if film.closest_loved is not None else None
        if neighbour is not None and neighbour.rating < LOVED:
            neighbour = None
        where = found_as.discovery_source if found_as else (  # the badge says what the reason says
            DiscoverySource.SIMILAR_TO_RATED if neighbour is not None else DiscoverySource.POPULAR_FALLBACK)
        reason = reason_for(movie, profile=profile, neighbour=neighbour,
                            strongest="similar" if neighbour is not None else "genre")
        matches.append(Match(movie_id=film.movie_id, confidence=round(film.confidence, 4), reason=reason,
                             score=film.score))
        candidates.append(Candidate(movie, where))
    outside = [c for c in found if c.movie.id not in ranker.index.position and c.movie.id not in excluded]
    if outside:
        floor = min((m.score for m in matches if m.score is not None), default=0.0) - 1.0
        judged = local.match(profile=profile, rated=list(rated), candidates=[c.movie for c in outside])
        for i, m in enumerate(judged):
            matches.append(Match(movie_id=m.movie_id, confidence=m.confidence, reason=m.reason, score=floor - i))
        candidates += outside
    return RankedCandidates(matches, candidates)
