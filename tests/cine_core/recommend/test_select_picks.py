"""Which matches become the stored picks, and in which order the dashboard's grid shows them."""

from __future__ import annotations

from cine_core.domain.models import DiscoverySource, Match
from cine_core.recommend.picks import select_picks


def test_in_the_rankers_order_confident_picks_come_first_and_long_shots_only_fill_the_rest():
    confidences = [0.43, 0.81, 0.67, 0.94, 0.75, 0.30]  # the ranker's order
    matches = [(Match(i, c, f"reason {i}"), "catalog") for i, c in enumerate(confidences, start=1)]
    sources = {i: DiscoverySource.POPULAR_FALLBACK for i in range(1, 7)}
    picks = select_picks(matches, sources, threshold=0.7, min_picks=4, keep_order=True)
    # A 4-card grid shows the three confident picks (in the ranker's order), then the best long shot.
    assert [p.movie_id for p in picks] == [2, 4, 5, 1, 3, 6]
    assert [p.below_threshold for p in picks] == [False, False, False, True, True, True]


def test_by_confidence_long_shots_only_top_up_a_thin_set():
    matches = [(Match(i, c, "r"), "local") for i, c in ((1, 0.9), (2, 0.5), (3, 0.8), (4, 0.4))]
    sources = {i: DiscoverySource.TRENDING for i in range(1, 5)}
    picks = select_picks(matches, sources, threshold=0.7, min_picks=3)
    assert [(p.movie_id, p.below_threshold) for p in picks] == [(1, False), (3, False), (2, True)]
