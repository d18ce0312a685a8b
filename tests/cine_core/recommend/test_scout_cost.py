"""What the scout computes once instead of per refresh gives the same numbers as computing it each time (#24):
rows of films outside the corpus kept per space, similarity rows computed with the corpus, the pre-ranking
without reasons."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from cine_core.domain.models import Candidate, DiscoverySource, RatedMovie, TasteProfile
from cine_core.films.catalog import catalog_movies
from cine_core.recommend.config import config_for_source
from cine_core.recommend.features import FeatureSpace, similarity_rows
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.recommend.pipeline import ScoutContext, prerank_locally, rank_locally


@pytest.fixture(scope="module")
def films():
    return sorted((m for m in catalog_movies() if m.genres and m.overview), key=lambda m: -m.vote_count)


@pytest.fixture(scope="module")
def space(films):
    return FeatureSpace(films[:3000])


def _same(a, b) -> bool:
    return a.shape == b.shape and (a != b).nnz == 0


def test_films_outside_the_corpus_get_the_rows_a_fresh_encoding_gives(space, films):
    outside = films[5000:5040]
    first = space.encode(outside)
    again = space.encode(outside[::-1])  # from the kept rows, in the caller's order
    fresh = space._encode(outside)
    for family in fresh.tokens:
        assert _same(first.tokens[family], fresh.tokens[family])
        assert _same(again.tokens[family], fresh.tokens[family][::-1])
    assert _same(first.text, fresh.text) and _same(first.similar, fresh.similar)
    assert np.array_equal(first.quality, fresh.quality) and np.array_equal(again.year, fresh.year[::-1])
    changed = replace(outside[0], keywords=("heist",), overview="A heist in Lisbon.")
    assert _same(space.encode([changed]).text, space._encode([changed]).text)  # a new version, not the kept row


def test_similarity_rows_kept_with_the_corpus_equal_rows_computed_per_call(space, films):
    mixed = [films[10], films[6000], films[20], films[7000]]
    encoded = space.encode(mixed)
    assert _same(encoded.similar, similarity_rows(encoded.tokens))


def test_the_pre_ranking_keeps_rank_locallys_order(films):
    rng = random.Random(4)
    pool = films[:2500]
    rated = [RatedMovie(m, rng.choice((2.0, 3.5, 4.5, 5.0))) for m in rng.sample(pool, 12)]
    sources = [DiscoverySource.TRENDING, DiscoverySource.SIMILAR_TO_RATED, DiscoverySource.MOOD_MATCH]
    candidates = [Candidate(m, rng.choice(sources)) for m in rng.sample(pool, 150)]
    ctx = ScoutContext(pool=None, settings=None, store=None, matcher=None,  # type: ignore[arg-type]
                       local=LocalMatcher(config_for_source(DiscoverySource.TRENDING)),
                       catalog_local=LocalMatcher(config_for_source(DiscoverySource.SIMILAR_TO_RATED)))
    profile = TasteProfile(genres={"drama": 0.6, "comedy": 0.3})
    assert prerank_locally(ctx, profile, rated, candidates) == [
        m.movie_id for m in rank_locally(ctx, profile, rated, candidates)]
