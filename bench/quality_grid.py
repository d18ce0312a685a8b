"""Beyond accuracy (issue 13): what one person's grid of 12 looks like when the app ranks the catalog for them.

Per person: every catalog film with ≥ 50 votes they have not rated, scored by the local matcher with the
configuration the scout uses for catalog-wide candidates (`config_for_source`), the top 30 diversified as the
scout does (`franchise.diversify`), the first 12 shown. Figures: franchise repeats per 12 (pairs of one
series), share of picks at ≥ 0.7 confidence, mean TMDB vote average, intra-list similarity (mean pairwise
Jaccard of genres + directors + top cast), and catalog coverage (distinct films over all grids / pool size).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from cine_core.domain.models import DiscoverySource, Movie, RatedMovie
from cine_core.recommend.config import config_for_source
from cine_core.recommend.features import movie_tokens
from cine_core.recommend.franchise import diversify, same_series
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.profile import build_profile

log = logging.getLogger(__name__)

GRID = 12
SHORTLIST = 30  # picks the scout stores per user
THRESHOLD = 0.7


def _tokens(movie: Movie) -> set[str]:
    return {f"{f}:{t}" for f in ("genre", "person") for t in movie_tokens(movie, f)}


def intra_list_similarity(films: Sequence[Movie]) -> float:
    pairs = [(a, b) for i, a in enumerate(films) for b in films[i + 1:]]
    if not pairs:
        return 0.0
    sims = [len(_tokens(a) & _tokens(b)) / max(len(_tokens(a) | _tokens(b)), 1) for a, b in pairs]
    return float(np.mean(sims))


def franchise_repeats(films: Sequence[Movie]) -> int:
    return sum(same_series(a, b) for i, a in enumerate(films) for b in films[i + 1:])


def grid_figures(people: dict[str, list[RatedMovie]], pool_films: Sequence[Movie], *, diversified: bool = True) -> dict:
    matcher = LocalMatcher(config_for_source(DiscoverySource.SIMILAR_TO_RATED))
    grids: list[list[tuple[Movie, float]]] = []
    for rated in people.values():
        if not rated:
            continue
        profile = build_profile(rated, config=matcher.config.profile)
        matches = matcher.match(profile=profile, rated=rated, candidates=list(pool_films))
        films = {m.id: m for m in pool_films}
        confidence = {m.movie_id: m.confidence for m in matches}
        ranked = [m.movie_id for m in matches[:SHORTLIST * 3]]
        if diversified:
            ranked = diversify(ranked, films, [r.movie for r in rated])
        grids.append([(films[i], confidence[i]) for i in ranked[:GRID]])
    shown = [m for grid in grids for m, _ in grid]
    return {
        "grids": len(grids),
        "franchise_repeats_per_12": round(float(np.mean([franchise_repeats([m for m, _ in g]) for g in grids])), 2)
        if grids else 0.0,
        "share_at_least_0.7": round(float(np.mean([c >= THRESHOLD for g in grids for _, c in g])), 3) if shown else 0.0,
        "mean_vote_average": round(float(np.mean([m.vote_average or 0 for m in shown])), 2) if shown else 0.0,
        "intra_list_similarity": round(float(np.mean([intra_list_similarity([m for m, _ in g]) for g in grids])), 3)
        if grids else 0.0,
        "catalog_coverage": round(len({m.id for m in shown}) / max(len(pool_films), 1), 5),
        "titles": [[m.title for m, _ in g] for g in grids[:3]],
    }
