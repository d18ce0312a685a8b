"""One confidence scale (issue 13): Claude re-orders and explains, the number is the local calibrated one;
the app scores each candidate with the configuration the benchmark measured for where it was found."""

from __future__ import annotations

from cine_core.domain.models import DiscoverySource, Match
from cine_core.recommend.config import (
    CATALOG_MATCHER_CONFIG,
    DEFAULT_MATCHER_CONFIG,
    PROTOCOL_SOURCE,
    config_for_source,
)
from cine_core.recommend.verdicts import align_to_local

LOCAL = [Match(1, 0.81, "local 1", 3.0), Match(2, 0.74, "local 2", 2.0), Match(3, 0.40, "local 3", 1.0),
         Match(4, 0.20, "local 4", 0.5)]


def test_claude_reorders_but_the_numbers_stay_the_local_probabilities():
    verdicts = [Match(3, 0.95, "Like Heat, which you rated 5★", 0.95), Match(1, 0.9, "claude 1", 0.9),
                Match(2, 0.9, "claude 2", 0.9), Match(4, 0.88, "claude 4", 0.88)]
    aligned = align_to_local(verdicts, LOCAL)
    assert [m.movie_id for m in aligned] == [3, 1, 2, 4]  # Claude's order; its tie (1, 2) keeps the local order
    assert [m.confidence for m in aligned] == [0.81, 0.74, 0.40, 0.20]  # the local scale, not 0.95/0.9/0.88
    assert aligned[0].reason == "Like Heat, which you rated 5★"
    above = sum(m.confidence >= 0.7 for m in aligned)
    assert above == sum(m.confidence >= 0.7 for m in LOCAL)  # Claude cannot talk films over the 0.7 line


def test_claude_cannot_add_films_and_skipped_films_keep_their_local_verdict():
    aligned = align_to_local([Match(99, 1.0, "invented", 1.0), Match(2, 0.3, "claude 2", 0.3)], LOCAL)
    assert [(m.movie_id, m.confidence) for m in aligned] == [(2, 0.74)]


def test_the_app_and_the_benchmark_choose_the_config_by_candidate_source():
    assert config_for_source(DiscoverySource.TRENDING) is DEFAULT_MATCHER_CONFIG
    for source in ("similar_to_rated", "mood_match", "popular_fallback"):
        assert config_for_source(source) is CATALOG_MATCHER_CONFIG
    assert config_for_source(PROTOCOL_SOURCE["trending"]) is DEFAULT_MATCHER_CONFIG
    assert config_for_source(PROTOCOL_SOURCE["uniform"]) is CATALOG_MATCHER_CONFIG


def test_bench_quality_measures_what_the_scout_runs():
    from bench.quality import protocol_config
    from cine_core.recommend.pipeline import build_scout_context  # noqa: F401  (the scout's own factory)

    assert protocol_config("trending") is config_for_source(DiscoverySource.TRENDING)
    assert protocol_config("uniform") is config_for_source(DiscoverySource.SIMILAR_TO_RATED)
