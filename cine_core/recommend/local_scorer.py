"""The local matcher: content-based scores from the taste profile and the user's own ratings.

score = Σ family weight × family score (+ prior weight × quality/popularity prior). The ranking is by score;
the confidence is a separate, order-preserving map of it (`confidences`): the score standardised against the
same call's candidates, a logistic map fitted by `bench.quality` ("would you pick and like this film over a
typical film of this list", both classes weighed equally), shrunk towards 0.5 while the user has few ratings.
Feature families can be switched off (`MatcherConfig.without`) for the benchmark's ablations.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

from cine_core.domain.models import Match, Movie, RatedMovie, TasteProfile
from cine_core.recommend.config import (
    CONTENT_FAMILIES,
    DEFAULT_MATCHER_CONFIG,
    MatcherConfig,
)
from cine_core.recommend.features import FeatureSpace, catalog_feature_space
from cine_core.recommend.reasons import reason_for
from cine_core.recommend.signals import FamilyScores, score_families

log = logging.getLogger(__name__)

UNSCORABLE_CONFIDENCE = 0.05  # films with no metadata at all: listed, but never recommended
MIN_SCORABLE_CONFIDENCE = 0.06  # any judged film stays above the unscorable ones (order = score order)
MIN_LIST_FOR_STATS = 5  # shorter candidate lists are standardised with the config's global mean/std


def combine(scores: FamilyScores, config: MatcherConfig) -> np.ndarray:
    total = np.zeros(len(scores.quality))
    for family in CONTENT_FAMILIES:
        total += getattr(config, family) * getattr(scores, family)
    prior = (1 - config.prior_popularity) * scores.quality + config.prior_popularity * scores.popularity
    if config.popularity_taste:
        prior = prior + config.popularity_taste * scores.taste_popularity
    return total + config.prior * prior


def rank_scores(scores: FamilyScores, config: MatcherConfig) -> np.ndarray:
    """Combined raw scores; films without any metadata rank below every film we can judge."""
    raw = combine(scores, config)
    unknown = ~scores.has_metadata
    if unknown.any():
        raw[unknown] = (raw[~unknown].min() if (~unknown).any() else 0.0) - 1.0
    return raw


def standardise(raw: np.ndarray, known: np.ndarray, config: MatcherConfig) -> np.ndarray:
    """z-scores of the raw scores against this list's scorable films (the config's global mean/std when
    fewer than MIN_LIST_FOR_STATS films can be judged or they all score the same)."""
    raw = np.asarray(raw, dtype=np.float64)
    usable = np.asarray(known, dtype=bool) & np.isfinite(raw)
    mean, std = config.score_mean, config.score_std
    if usable.sum() >= MIN_LIST_FOR_STATS:
        values = raw[usable]
        if values.std() > 1e-9:
            mean, std = float(values.mean()), float(values.std())
    return (raw - mean) / max(std, 1e-9)


def fitted_confidence(z: np.ndarray, config: MatcherConfig) -> np.ndarray:
    """sigmoid(slope·z + intercept): the balanced probability before the shrinkage for thin evidence."""
    t = np.clip(config.confidence_slope * np.asarray(z, dtype=np.float64) + config.confidence_intercept, -30, 30)
    return 1.0 / (1.0 + np.exp(-t))


def evidence_factor(n_rated: int, config: MatcherConfig) -> float:
    return n_rated / (n_rated + config.evidence_k) if n_rated > 0 else 0.0


def confidences(raw: np.ndarray, known: np.ndarray, n_rated: int, config: MatcherConfig) -> np.ndarray:
    """Confidence in [0, 1] per candidate, increasing in the raw score within one call; films without
    metadata (or a non-finite score) get UNSCORABLE_CONFIDENCE."""
    raw = np.asarray(raw, dtype=np.float64)
    usable = np.asarray(known, dtype=bool) & np.isfinite(raw)
    fitted = fitted_confidence(standardise(raw, usable, config), config)
    out = 0.5 + (fitted - 0.5) * evidence_factor(n_rated, config)
    return np.where(usable, np.clip(out, MIN_SCORABLE_CONFIDENCE, 0.99), UNSCORABLE_CONFIDENCE)


class LocalMatcher:
    """Content-based Matcher; no network, no other user's data. Thread-safe once constructed."""

    name = "local"

    def __init__(self, config: MatcherConfig = DEFAULT_MATCHER_CONFIG, *, space: FeatureSpace | None = None,
                 fit_per_call: bool = False):
        """`space`: a fitted feature space (default: the catalog's, built once per process, ~10 s cold).
        `fit_per_call`: fit on each call's films instead (tens of ms), for pages that must never wait."""
        self.config = config
        self._space = space
        self._fit_per_call = fit_per_call

    def _feature_space(self, films: Sequence[Movie]) -> FeatureSpace:
        if self._fit_per_call:
            return FeatureSpace(films)
        space = self._space or catalog_feature_space()
        return space if space is not None else FeatureSpace(films)

    def score(
        self, *, profile: TasteProfile, rated: Sequence[RatedMovie], candidates: Sequence[Movie]
    ) -> tuple[list[Movie], FamilyScores, np.ndarray]:
        """Raw scores of the unrated, de-duplicated candidates (benchmarks rank by these)."""
        rated_ids = {r.movie.id for r in rated}
        unique: dict[int, Movie] = {}
        for movie in candidates:
            if movie.id not in rated_ids and movie.id not in unique:
                unique[movie.id] = movie
        films = list(unique.values())
        if not films:
            return [], FamilyScores.empty(0), np.zeros(0)
        space = self._feature_space([*films, *(r.movie for r in rated)])
        scores = score_families(space, profile, rated, films, self.config)
        return films, scores, rank_scores(scores, self.config)

    def order(self, *, profile: TasteProfile, rated: Sequence[RatedMovie],
              candidates: Sequence[Movie]) -> list[tuple[int, float]]:
        """(film id, confidence) in `match`'s order with its confidences, without writing reasons (a
        pre-ranking that keeps the best films needs no sentence for each)."""
        films, scores, raw = self.score(profile=profile, rated=rated, candidates=candidates)
        if not films:
            return []
        confidence = confidences(raw, scores.has_metadata, len(rated), self.config)
        return [(films[i].id, round(min(1.0, max(0.0, float(confidence[i]))), 4))
                for i in np.argsort(-raw, kind="stable")]

    def match(self, *, profile: TasteProfile, rated: Sequence[RatedMovie], candidates: Sequence[Movie]) -> list[Match]:
        """One Match per unrated candidate, best first; a film without metadata gets a low confidence."""
        films, scores, raw = self.score(profile=profile, rated=rated, candidates=candidates)
        if not films:
            return []
        confidence = confidences(raw, scores.has_metadata, len(rated), self.config)
        matches = []
        for i in np.argsort(-raw, kind="stable"):
            movie = films[i]
            conf = float(confidence[i])
            strongest = scores.strongest(i, self.config)
            neighbour = rated[scores.neighbour[i]] if scores.neighbour[i] >= 0 else None
            reason = reason_for(movie, profile=profile, neighbour=neighbour, strongest=strongest)
            matches.append(Match(movie_id=movie.id, confidence=round(min(1.0, max(0.0, conf)), 4), reason=reason,
                                 score=float(raw[i]) if math.isfinite(raw[i]) else None))
        return matches

