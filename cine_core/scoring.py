"""The local matcher: content-based scores from the taste profile and the user's own ratings.

score = Σ family weight × family score (+ prior weight × quality/popularity prior), then a logistic
map fitted by bench/quality.py turns it into a confidence ("how likely you rate it 4★ or more").
Feature families can be switched off (`MatcherConfig.without`) for the benchmark's ablations.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cine_core.features import FeatureSpace, catalog_feature_space
from cine_core.models import Match, Movie, RatedMovie, TasteProfile
from cine_core.reasons import reason_for
from cine_core.scoring_signals import FamilyScores, score_families
from cine_core.taste_build import DEFAULT_PROFILE_CONFIG, ProfileConfig

log = logging.getLogger(__name__)

CONTENT_FAMILIES = ("genre", "keyword", "person", "text", "decade", "year", "similar", "pacing", "stated")
SWITCHABLE = (*CONTENT_FAMILIES, "prior")
UNSCORABLE_CONFIDENCE = 0.05  # films with no metadata at all: listed, but never recommended


@dataclass(frozen=True, slots=True)
class MatcherConfig:
    """Family weights (0 switches a family off) and the confidence calibration."""

    genre: float = 1.5  # weights: coordinate search on `bench.quality_tune` (second-last holdout, trending)
    keyword: float = 3.0
    person: float = 4.0
    text: float = 6.0
    decade: float = 0.0  # the finer `year` kernel carries the era signal (decade adds nothing next to it)
    year: float = 4.0
    similar: float = 4.0
    pacing: float = 0.6  # chat-only families (unmeasured by the benchmark): scaled with the weights above
    stated: float = 2.0
    prior: float = 0.5  # the scout faces trending lists: there a popularity prior hurts (issue 7)
    prior_popularity: float = 0.0  # share of the prior from log vote count (rest: Bayesian vote average)
    lift: float | None = None  # None: share minus catalog share; else log-lift with this smoothing
    token_norm: float = 0.5  # family score divided by (tokens on the film) ** token_norm
    year_scale: float = 2.0  # years: release-year closeness kernel exp(-|Δyear| / year_scale)
    neighbours: int = 10  # rated films whose similarity counts
    calibration_slope: float = 0.126  # confidence = sigmoid(slope × score + intercept) ≈ P(rated ≥ 4★);
    calibration_intercept: float = -0.451  # logistic fit of `bench.quality` calibration, second-last holdout
    profile: ProfileConfig = DEFAULT_PROFILE_CONFIG

    def without(self, family: str) -> MatcherConfig:
        if family not in SWITCHABLE:
            raise ValueError(f"unknown feature family {family!r}; choose from {SWITCHABLE}")
        return dataclasses.replace(self, **{family: 0.0})

    def with_prior(self, weight: float) -> MatcherConfig:
        return dataclasses.replace(self, prior=weight)


DEFAULT_MATCHER_CONFIG = MatcherConfig()
# For candidates drawn from the whole catalog (not from a popular list) a quality/popularity prior helps.
CATALOG_MATCHER_CONFIG = MatcherConfig(
    genre=3.0, keyword=4.0, person=6.0, text=1.5, decade=1.0, year=4.0, similar=0.5, prior=1.5, prior_popularity=0.5,
    calibration_slope=0.276, calibration_intercept=-1.019,
)


def combine(scores: FamilyScores, config: MatcherConfig) -> np.ndarray:
    total = np.zeros(len(scores.quality))
    for family in CONTENT_FAMILIES:
        total += getattr(config, family) * getattr(scores, family)
    prior = (1 - config.prior_popularity) * scores.quality + config.prior_popularity * scores.popularity
    return total + config.prior * prior


def rank_scores(scores: FamilyScores, config: MatcherConfig) -> np.ndarray:
    """Combined raw scores; films without any metadata rank below every film we can judge."""
    raw = combine(scores, config)
    unknown = ~scores.has_metadata
    if unknown.any():
        raw[unknown] = (raw[~unknown].min() if (~unknown).any() else 0.0) - 1.0
    return raw


def calibrate(raw: np.ndarray, config: MatcherConfig) -> np.ndarray:
    z = np.clip(config.calibration_slope * raw + config.calibration_intercept, -30, 30)
    return 1.0 / (1.0 + np.exp(-z))


class LocalMatcher:
    """Content-based Matcher; no network, no other user's data. Thread-safe once constructed."""

    name = "local"

    def __init__(self, config: MatcherConfig = DEFAULT_MATCHER_CONFIG, *, space: FeatureSpace | None = None):
        self.config = config
        self._space = space

    def _feature_space(self, films: Sequence[Movie]) -> FeatureSpace:
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

    def match(self, *, profile: TasteProfile, rated: Sequence[RatedMovie], candidates: Sequence[Movie]) -> list[Match]:
        """One Match per unrated candidate, best first; a film without metadata gets a low confidence."""
        films, scores, raw = self.score(profile=profile, rated=rated, candidates=candidates)
        if not films:
            return []
        confidence = calibrate(raw, self.config)
        matches = []
        for i in np.argsort(-raw, kind="stable"):
            movie = films[i]
            known = bool(scores.has_metadata[i])
            conf = float(confidence[i]) if known and math.isfinite(raw[i]) else UNSCORABLE_CONFIDENCE
            strongest = scores.strongest(i, self.config)
            neighbour = rated[scores.neighbour[i]] if scores.neighbour[i] >= 0 else None
            reason = reason_for(movie, profile=profile, neighbour=neighbour, strongest=strongest)
            matches.append(Match(movie_id=movie.id, confidence=round(min(1.0, max(0.0, conf)), 4), reason=reason,
                                 score=float(raw[i]) if math.isfinite(raw[i]) else None))
        return matches

