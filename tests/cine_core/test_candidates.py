"""Candidate gathering rules that do not need a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cine_core.domain.models import Candidate, DiscoverySource, Movie, RatedMovie
from cine_core.recommend.candidates import CandidatePool, enrich, gather_quick, quick_seeds

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


def _rated(movie_id: int, rating: float, days_ago: int) -> RatedMovie:
    return RatedMovie(movie=Movie(id=movie_id, title=f"Film {movie_id}"), rating=rating,
                      rated_at=datetime.now(UTC) - timedelta(days=days_ago))


def test_a_quick_refresh_looks_around_the_film_that_triggered_it():
    rated = [_rated(10, 5.0, 1), _rated(20, 4.5, 30), _rated(30, 1.0, 0)]
    assert quick_seeds(rated, None) == [10]  # no trigger: the newest liked film
    assert quick_seeds(rated, 20) == [20]  # an older film rated again, or mentioned in chat
    assert quick_seeds(rated, 30) == [10]  # rated low: nothing like it is wanted

    class Store:
        def __init__(self) -> None:
            self.asked: list[int] = []

        def get(self, ids):
            return {}

        def similar_to(self, movie_id, limit=20):
            self.asked.append(movie_id)
            return [Movie(id=movie_id * 100, title="Like it")]

    store = Store()
    found = gather_quick(store, rated, [], 20)
    assert store.asked == [20]
    assert [(c.movie.id, c.discovery_source) for c in found.without(set())] == [(2000, DiscoverySource.SIMILAR_TO_RATED)]
