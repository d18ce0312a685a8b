"""Candidate gathering rules that do not need a database."""

from __future__ import annotations

from cine_core.domain.models import Candidate, DiscoverySource, Movie
from cine_core.recommend.candidates import CandidatePool, enrich

FEATURE = Movie(id=1, title="Inception", runtime=148)
SHORT = Movie(id=2, title="Inception: The Cobol Job", runtime=15)
UNKNOWN_RUNTIME = Movie(id=3, title="Listed film")


def test_shorts_are_never_candidates_but_unknown_runtimes_are():
    pool = CandidatePool()
    pool.add([FEATURE, SHORT, UNKNOWN_RUNTIME], DiscoverySource.TRENDING)
    assert [c.movie.id for c in pool.without(set())] == [1, 3]


def test_a_film_revealed_as_a_short_by_enrichment_is_dropped():
    class Store:
        def get(self, ids):
            return {3: Movie(id=3, title="Listed film", runtime=12)}

    candidates = [Candidate(UNKNOWN_RUNTIME, DiscoverySource.TRENDING), Candidate(FEATURE, DiscoverySource.TRENDING)]
    assert [c.movie.id for c in enrich(Store(), candidates, [])] == [1]


def test_a_higher_priority_source_wins_for_the_same_film():
    pool = CandidatePool()
    pool.add([FEATURE], DiscoverySource.TRENDING)
    pool.add([FEATURE], DiscoverySource.SIMILAR_TO_RATED)
    sources = {c.discovery_source for c in pool.without(set())}
    assert len(sources) == 1
