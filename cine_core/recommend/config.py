"""The local scorer's settings: feature-family weights and the confidence calibration, as tuned by `bench/`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cine_core.domain.models import DiscoverySource
from cine_core.taste.profile import DEFAULT_PROFILE_CONFIG, ProfileConfig

CONTENT_FAMILIES = ("genre", "keyword", "person", "text", "decade", "year", "similar", "pacing", "stated")
SWITCHABLE = (*CONTENT_FAMILIES, "prior")

@dataclass(frozen=True, slots=True)
class MatcherConfig:
    """Family weights (0 switches a family off) and the confidence calibration."""

    genre: float = 2.0  # weights: coordinate search on `bench.quality_tune` (second-last holdout, trending)
    keyword: float = 3.0
    person: float = 4.0
    text: float = 6.0
    decade: float = 0.0  # the finer `year` kernel carries the era signal (decade adds nothing next to it)
    year: float = 4.0
    similar: float = 1.0
    pacing: float = 0.6  # chat-only families (unmeasured by the benchmark): scaled with the weights above
    stated: float = 2.0
    prior: float = 0.5  # the scout faces trending lists: there a popularity prior hurts (issue 7)
    prior_popularity: float = 0.0  # share of the prior from log vote count (rest: Bayesian vote average)
    popularity_taste: float = 0.0  # prior term: popularity × the user's own mean popularity (see scoring_signals)
    lift: float | None = None  # None: share minus catalog share; else log-lift with this smoothing
    token_norm: float = 0.5  # family score divided by (tokens on the film) ** token_norm
    year_scale: float = 2.0  # years: release-year closeness kernel exp(-|Δyear| / year_scale)
    neighbours: int = 10  # rated films whose similarity counts
    # confidence = 0.5 + (sigmoid(slope × z + intercept) − 0.5) × n / (n + evidence_k), z = score standardised
    # within the call's candidates; slope/intercept: class-balanced logistic fit, `bench.quality`, second-last
    confidence_slope: float = 1.221  # `python -m bench.quality_tune --confidence` (trending cases)
    confidence_intercept: float = -0.712
    score_mean: float = 0.5103  # global fallback for lists too short to standardise (same fit)
    score_std: float = 0.808
    evidence_k: float = 2.0  # n ratings count for n / (n + k) of the fitted confidence's distance from 0.5
    profile: ProfileConfig = DEFAULT_PROFILE_CONFIG

    def without(self, family: str) -> MatcherConfig:
        if family not in SWITCHABLE:
            raise ValueError(f"unknown feature family {family!r}; choose from {SWITCHABLE}")
        return dataclasses.replace(self, **{family: 0.0})

    def with_prior(self, weight: float) -> MatcherConfig:
        return dataclasses.replace(self, prior=weight)


DEFAULT_MATCHER_CONFIG = MatcherConfig()
# For candidates drawn from the whole catalog (not from a popular list) a quality/popularity prior helps.
# Popularity enters as popularity × the user's own mean popularity (a blockbuster watcher gets a stronger push
# towards popular films than a niche one). Weights re-searched on uniform second-last after the profile's
# recency became "by rating order" (0.505 -> 0.541). Pairwise-logistic weights, catalog-percentile or
# per-release-year popularity, TMDB's popularity score, original language, runtime, LSA/IDF-weighted content
# neighbours and year_scale 1.5 / 3 gave nothing over this on second-last.
CATALOG_MATCHER_CONFIG = MatcherConfig(
    genre=1.5, keyword=3.0, person=6.0, text=0.25, decade=0.25, year=4.0, similar=0.25, prior=0.75, prior_popularity=0.0,
    popularity_taste=0.5333,
    confidence_slope=1.628, confidence_intercept=-1.701, score_mean=0.3379, score_std=0.9701,  # uniform cases
)

# Where a candidate was found decides which measured configuration scores it: films from a popular/trending
# list are what `bench.quality --protocol trending` measures (DEFAULT), films drawn from the whole catalog by
# content (similar to a rated film, genre/mood discover, the popular fallback) are what `--protocol uniform`
# measures (CATALOG). The benchmark and the scout both call `config_for_source`, so they run the same thing.
CATALOG_WIDE_SOURCES = frozenset({DiscoverySource.SIMILAR_TO_RATED, DiscoverySource.MOOD_MATCH,
                                  DiscoverySource.POPULAR_FALLBACK})
PROTOCOL_SOURCE = {"trending": DiscoverySource.TRENDING, "uniform": DiscoverySource.MOOD_MATCH}


def config_for_source(source: DiscoverySource | str) -> MatcherConfig:
    """The measured configuration for candidates found by `source` (see CATALOG_WIDE_SOURCES)."""
    return CATALOG_MATCHER_CONFIG if DiscoverySource(source) in CATALOG_WIDE_SOURCES else DEFAULT_MATCHER_CONFIG
