"""The ranker's per-person memo: a second ranking of the same person with other `also` films scores only those
films, and every ranking is the one an unmemoized ranker gives, bit for bit (order, scores, confidences, reasons)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from cine_core.recommend.ranker import collaborative, rank
from cine_core.recommend.ranker.features import HistoryItem, person_features
from cine_core.recommend.ranker.index import build_index
from cine_core.recommend.ranker.memo import PoolTop
from cine_core.recommend.ranker.model import load_weights
from cine_core.recommend.ranker.rank import CatalogRanker
from tests.cine_core.recommend.ranker.test_rank import CATALOG, film

TWINS = [film(20, "Heist Twin A", ["Crime"], ["heist", "vault"], 20000, 2005, "Twin Maker"),  # the same film twice:
         film(21, "Heist Twin B", ["Crime"], ["heist", "vault"], 20000, 2005, "Twin Maker")]  # their scores tie
WHEN = date(2020, 1, 1)


def as_tuples(ranked):
    return [(f.movie_id, f.score, f.confidence, f.closest_loved) for f in ranked]


@pytest.fixture(scope="module")
def world():
    index = build_index([*CATALOG, *TWINS])
    src, dst, w = collaborative.fit_ease([[1, 7], [1, 7], [1, 7, 3], [2, 7], [5, 6], [5, 6, 12]], lam=1.0)
    neighbours = collaborative.from_triples(index, src, dst, w, last_year=2012)
    # A pool of 6 of the 14 films: the pool is a cut (its order breaks ties) as in the 43,000-film catalog.
    weights = replace(load_weights(variant="collaborative"), candidate_pool=6)
    return index, neighbours, weights


def rankers(world, memo_size=16):
    index, neighbours, weights = world
    return (CatalogRanker(index, neighbours=neighbours, weights=weights, memo_size=memo_size),
            CatalogRanker(index, neighbours=neighbours, weights=weights, memo_size=0))


def test_a_second_ranking_with_other_lists_scores_only_their_films_and_gives_the_unmemoized_list(world, monkeypatch):
    memoized, plain = rankers(world)
    history = [HistoryItem(1, 5.0, 1.0), HistoryItem(2, 4.5, 2.0), HistoryItem(5, 1.5, 3.0)]
    looked_at = []
    features = rank.person_features

    def counted(*args, rows=None, **kwargs):
        looked_at.append(None if rows is None else sorted(int(r) for r in rows))
        return features(*args, rows=rows, **kwargs)

    monkeypatch.setattr(rank, "person_features", counted)
    calls = [dict(also=[12, 7]), dict(also=[6, 21, 999]), dict(), dict(also=[6], limit=1), dict(also=[12], limit=2)]
    for call in calls:
        kwargs = {"reference": WHEN, "released_by": WHEN, "limit": 2, **call}
        got = memoized.rank(history, **kwargs)
        assert as_tuples(got) == as_tuples(plain.rank(history, **kwargs))
        assert {i for i in call.get("also", []) if i != 999} <= {f.movie_id for f in got}
    first, *later = looked_at[::2]  # the memoized ranker's feature passes (the plain one's in between)
    assert first is None and all(rows is not None and len(rows) <= 2 for rows in later if rows is not None)
    assert memoized.memo.hits == len(calls) - 1 and memoized.memo.misses == 1


def test_ties_keep_the_unmemoized_order_with_and_without_added_films(world):
    memoized, plain = rankers(world)
    fan = [HistoryItem(3, 5.0, 1.0), HistoryItem(8, 4.5, 2.0)]  # heists: the twins tie 4th and 5th of the pool
    twins = [(i, f.score) for i, f in enumerate(plain.rank(fan, reference=WHEN, limit=6)) if f.movie_id in (20, 21)]
    assert [i for i, _ in twins] == [3, 4] and twins[0][1] == twins[1][1]
    for call in (dict(limit=4), dict(limit=4, also=[12]), dict(limit=4), dict(limit=3, also=[21, 20, 6])):
        assert as_tuples(memoized.rank(fan, reference=WHEN, **call)) == as_tuples(plain.rank(fan, reference=WHEN, **call))
    # Kept: every film of the pool scoring at least its limit-th best (both of a tie at the boundary), in pool order.
    kept = PoolTop.of(np.asarray([9, 3, 7, 5]), np.asarray([0.2, 0.5, 1.0, 0.5]), np.zeros(4), limit=2)
    assert kept.rows.tolist() == [3, 7, 5] and kept.positions.tolist() == [1, 2, 3]
    assert memoized.memo.hits == 3


def test_another_history_exclusion_date_or_cut_is_ranked_afresh(world):
    memoized, plain = rankers(world)
    base = [HistoryItem(1, 5.0, 1.0), HistoryItem(4, 4.0, 2.0)]
    variants = [dict(history=base), dict(history=[*base, HistoryItem(11, 4.5, 3.0)]),
                dict(history=[HistoryItem(1, 3.0, 1.0), HistoryItem(4, 4.0, 2.0)]),  # a rating changed
                dict(history=base[::-1]), dict(history=base, exclude=[8]), dict(history=base, reference=date(2031, 1, 1)),
                dict(history=base, released_by=WHEN)]
    for variant in variants:
        kwargs = {"reference": WHEN, "limit": 3, "also": [6], **variant}
        assert as_tuples(memoized.rank(**kwargs)) == as_tuples(plain.rank(**kwargs))
    assert memoized.memo.misses == len(variants) and memoized.memo.hits == 0 and len(memoized.memo) == len(variants)


def test_the_memo_is_bounded_keeps_no_failure_and_is_shared_by_threads(world, monkeypatch):
    memoized, plain = rankers(world, memo_size=3)
    rng = random.Random(5)
    people = [[HistoryItem(m, rng.choice([1.0, 3.0, 4.0, 5.0, None]), float(t)) for t, m in
               enumerate(rng.sample([m.id for m in CATALOG], 3))] for _ in range(8)]
    jobs = [(person, rng.sample([6, 7, 12, 20, 21], 2)) for person in people for _ in range(3)]
    with ThreadPoolExecutor(4) as lanes:
        got = list(lanes.map(lambda job: as_tuples(memoized.rank(job[0], reference=WHEN, limit=3, also=job[1])), jobs))
    assert got == [as_tuples(plain.rank(p, reference=WHEN, limit=3, also=a)) for p, a in jobs]
    assert len(memoized.memo) == 3

    def broken(*args, **kwargs):
        raise MemoryError("no room")

    fresh, _ = rankers(world)
    monkeypatch.setattr(rank, "person_features", broken)
    with pytest.raises(MemoryError):
        fresh.rank(people[0], reference=WHEN, limit=3)
    assert len(fresh.memo) == 0


def test_features_of_some_films_are_the_whole_catalogs_numbers_bit_for_bit(world):
    index, neighbours, _ = world
    history = [HistoryItem(1, 5.0, 2.0), HistoryItem(2, None, 1.0), HistoryItem(5, 1.5, 3.0), HistoryItem(20, 4.0, 4.0)]
    full = person_features(index, history, WHEN, neighbours).matrix
    rows = np.asarray([13, 2, 7, 7, 0])
    assert np.array_equal(person_features(index, history, WHEN, neighbours, rows=rows).matrix, full[rows])
    assert person_features(index, [], WHEN, neighbours, rows=rows[:2]).matrix.tobytes() == \
        person_features(index, [], WHEN, neighbours).matrix[rows[:2]].tobytes()


def test_on_the_shipped_catalog_repeated_rankings_are_the_unmemoized_ones():
    shared = rank.shared_ranker()
    memoized = CatalogRanker(shared.index, neighbours=shared.neighbours, weights=shared.weights)
    plain = CatalogRanker(shared.index, neighbours=shared.neighbours, weights=shared.weights, memo_size=0)
    idx, rng = shared.index, random.Random(24)
    known = [int(i) for i in idx.ids[np.argsort(-idx.log_votes)[:3000]]]
    for size in (1, 12, 120):
        history = [HistoryItem(m, rng.choice([None, 2.0, 3.5, 4.0, 5.0]), float(t)) for t, m in
                   enumerate(rng.sample(known, size))]
        excluded = set(rng.sample(known, 10))
        for also in ([], rng.sample(known, 30), rng.sample([int(i) for i in idx.ids], 40)):
            kwargs = {"exclude": excluded, "reference": date(2026, 12, 7), "released_by": date(2026, 12, 7),
                      "limit": 60, "also": also}
            assert as_tuples(memoized.rank(history, **kwargs)) == as_tuples(plain.rank(history, **kwargs))
    assert memoized.memo.hits == 6
