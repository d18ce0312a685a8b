"""The catalog ranker on a small hand-made catalog: popularity is the base, closeness to loved films lifts a
film, what a person saw never comes back, the confidence is a probability below 1, and explanations add up."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from cine_core.domain.models import Movie
from cine_core.recommend.ranker import collaborative
from cine_core.recommend.ranker.features import FEATURES, HistoryItem, person_features
from cine_core.recommend.ranker.index import build_index
from cine_core.recommend.ranker.model import load_weights
from cine_core.recommend.ranker.rank import MAX_CONFIDENCE, CatalogRanker, similar_films


def film(i, title, genres, keywords=(), votes=1000, year=2010, director="", lang="en", average=7.0, runtime=110):
    return Movie(id=i, title=title, year=year, genres=tuple(genres), keywords=tuple(keywords),
                 directors=(director,) if director else (), vote_count=votes, vote_average=average,
                 original_language=lang, runtime=runtime)


CATALOG = [
    film(1, "Heat", ["Crime", "Thriller"], ["heist", "los angeles", "detective"], 8000, 1995, "Michael Mann"),
    film(2, "Collateral", ["Crime", "Thriller"], ["los angeles", "hitman", "taxi"], 6000, 2004, "Michael Mann"),
    film(3, "Thief", ["Crime", "Drama"], ["heist", "safecracker"], 900, 1981, "Michael Mann"),
    film(4, "The Town", ["Crime", "Thriller"], ["heist", "boston", "bank robbery"], 5000, 2010, "Ben Affleck"),
    film(5, "Frozen", ["Animation", "Family"], ["princess", "snow", "sister"], 15000, 2013, "Chris Buck"),
    film(6, "Toy Story", ["Animation", "Family"], ["toy", "friendship"], 17000, 1995, "John Lasseter"),
    film(7, "Paddington", ["Family", "Comedy"], ["bear", "london"], 4000, 2014, "Paul King"),
    film(8, "Inside Man", ["Crime", "Thriller"], ["heist", "bank robbery", "hostage"], 7000, 2006, "Spike Lee"),
    film(9, "A Short", ["Crime"], ["heist"], 9000, 2012, "Someone", runtime=12),
    film(10, "Future Heist", ["Crime", "Thriller"], ["heist", "bank robbery"], 9000, 2030, "Someone"),
    film(11, "Ronin", ["Action", "Thriller"], ["heist", "paris", "car chase"], 3000, 1998, "John Frankenheimer"),
    film(12, "Moana", ["Animation", "Family"], ["ocean", "princess"], 12000, 2016, "Ron Clements"),
]


@pytest.fixture(scope="module")
def ranker():
    return CatalogRanker(build_index(CATALOG), neighbours=None)


def crime_fan() -> list[HistoryItem]:
    return [HistoryItem(1, 5.0, 1.0), HistoryItem(2, 4.5, 2.0), HistoryItem(5, 1.5, 3.0)]


def test_a_crime_fan_gets_heists_before_more_popular_family_films(ranker):
    # Four loved crime films: with two, the fit rightly leans on how well known a film is (a thin history).
    fan = [*crime_fan(), HistoryItem(3, 4.5, 4.0), HistoryItem(11, 4.5, 5.0)]
    order = [f.movie_id for f in ranker.rank(fan, reference=date(2020, 1, 1), limit=20)]
    assert order[0] in {4, 8}
    assert order.index(8) < order.index(6) and order.index(4) < order.index(12)


def test_films_in_the_history_shorts_excluded_and_unreleased_never_come_back(ranker):
    ranked = ranker.rank(crime_fan(), exclude=[4], reference=date(2020, 1, 1), released_by=date(2020, 1, 1), limit=20)
    ids = {f.movie_id for f in ranked}
    assert not ids & {1, 2, 5, 4, 9, 10}
    assert len(ranked) == len(CATALOG) - 6


def test_confidence_is_a_probability_below_certainty_and_shrinks_with_little_evidence(ranker):
    many = ranker.rank(crime_fan() * 1 + [HistoryItem(3, 4.0, 4.0), HistoryItem(11, 4.0, 5.0)],
                       reference=date(2020, 1, 1), limit=10)
    assert all(0.0 < f.confidence <= MAX_CONFIDENCE for f in many)
    one = ranker.rank([HistoryItem(1, 5.0, 1.0)], reference=date(2020, 1, 1), limit=10)
    base = 1 / (1 + np.exp(-ranker.weights.like.intercept))
    spread_one = max(abs(f.confidence - base) for f in one)
    spread_many = max(abs(f.confidence - base) for f in many)
    assert spread_one < spread_many


def test_a_watched_only_history_still_gets_picks(ranker):
    watched = [HistoryItem(1, None, 1.0), HistoryItem(2, None, 2.0), HistoryItem(3, None, 3.0)]
    ranked = ranker.rank(watched, reference=date(2020, 1, 1), limit=3)
    assert len(ranked) == 3 and len({f.movie_id for f in ranked} & {4, 8, 11}) >= 2  # mostly crime, like theirs


def test_explanations_add_up_to_the_score(ranker):
    ranked = ranker.rank(crime_fan(), reference=date(2020, 1, 1), limit=3, explain=True)
    w = ranker.weights
    for f in ranked:
        assert set(f.contributions) <= set(FEATURES)
        total = sum(f.contributions.values()) + w.watch.intercept + ranker.like_weight * w.like.intercept
        assert total == pytest.approx(f.score, abs=1e-6)


def test_closest_loved_film_is_the_reason_evidence(ranker):
    ranked = ranker.rank(crime_fan(), reference=date(2020, 1, 1), limit=3)
    heist = next(f for f in ranked if f.movie_id == 8)
    assert heist.closest_loved == 1  # Inside Man shares heist with Heat, not with Collateral


def test_collaborative_neighbours_lift_what_people_watched_together():
    index = build_index(CATALOG)
    src, dst, w = collaborative.fit_ease([[1, 7], [1, 7], [1, 7, 3], [2, 7], [5, 6], [5, 6, 12]], lam=1.0)
    neighbours = collaborative.from_triples(index, src, dst, w)
    feats = person_features(index, [HistoryItem(1, 5.0, 1.0)], date(2020, 1, 1), neighbours).matrix
    col = FEATURES.index("collaborative")
    assert feats[index.position[7], col] > feats[index.position[6], col]


def test_films_asked_for_also_come_back_with_the_scores_a_ranking_among_them_gives(ranker):
    history, when = crime_fan(), date(2020, 1, 1)
    best = ranker.rank(history, reference=when, released_by=when, limit=2, also=[12, 7])
    among = {f.movie_id: f.score for f in ranker.rank(history, reference=when, released_by=when, among=[12, 7])}
    assert len(best) == 2 + len({12, 7} - {f.movie_id for f in best[:2]})
    assert {12, 7} <= {f.movie_id for f in best}
    assert all(f.score == pytest.approx(among[f.movie_id]) for f in best if f.movie_id in among)
    assert [f.score for f in best] == sorted((f.score for f in best), reverse=True)


def test_films_released_after_the_tables_data_ends_are_marked_absent_not_obscure():
    index = build_index(CATALOG)
    src, dst, w = collaborative.fit_ease([[1, 7], [1, 7], [2, 7], [5, 6]], lam=1.0)
    neighbours = collaborative.from_triples(index, src, dst, w, last_year=2012)
    feats = person_features(index, [HistoryItem(1, 5.0, 1.0)], date(2020, 1, 1), neighbours).matrix
    late = {int(i) for i in index.ids[feats[:, FEATURES.index("collaborative_late")] == 1]}
    assert late == {m.id for m in CATALOG if m.year > 2012}


def test_a_thin_history_leans_on_how_well_known_a_film_is_more_than_a_long_one():
    ranker = CatalogRanker(build_index(CATALOG), neighbours=None)
    weights = dict(zip(ranker.weights.watch.features, ranker.weights.watch.coef, strict=True))
    assert weights["closeness_by_depth"] > 0  # closeness to loved films counts more the more films one has loved


def test_more_like_this_is_the_films_alike_in_the_rankers_order_not_the_most_popular(ranker):
    similar = [f.movie_id for f in similar_films(ranker, 1, limit=5)]  # Heat
    assert similar and set(similar) <= {2, 3, 4, 8, 9, 11}  # crime and heist films, never Toy Story or Frozen
    assert 1 not in similar and similar_films(ranker, 999) == []


def test_reasons_cite_the_higher_rated_alike_film_and_spread_over_the_persons_films(ranker):
    history = [HistoryItem(1, 4.0, 1.0), HistoryItem(3, 5.0, 2.0), HistoryItem(2, 4.0, 3.0)]  # Heat, Thief 5★, Collateral
    ranked = ranker.rank(history, reference=date(2020, 1, 1), released_by=date(2020, 1, 1), limit=6)
    cited = [f.closest_loved for f in ranked if f.closest_loved is not None]
    assert cited[0] == 3  # Inside Man: the heist film rated 5★ (Thief) rather than one rated 4★
    assert len(set(cited)) >= 2  # not one film as every pick's reason


def test_one_loved_film_is_the_reason_for_at_most_three_picks(ranker):
    from cine_core.recommend.ranker.rank import MAX_CITES

    ranked = ranker.rank([HistoryItem(8, 5.0, 1.0)], reference=date(2020, 1, 1), limit=10)  # Inside Man alone
    cited = [f.closest_loved for f in ranked if f.closest_loved is not None]
    assert cited.count(8) == MAX_CITES == 3  # the heists (The Town, Heat, Thief, Ronin…) all pass the bar


def test_among_films_the_table_cannot_know_popularity_counts_and_an_older_table_counts_them_less():
    index = build_index(CATALOG)
    src, dst, w = collaborative.fit_ease([[1, 7], [1, 7], [2, 7], [5, 6]], lam=1.0)
    history = [HistoryItem(1, 5.0, 1.0)]
    recent = person_features(index, history, date(2015, 6, 1),
                             collaborative.from_triples(index, src, dst, w, last_year=2012)).matrix
    today = person_features(index, history, date(2026, 6, 1),
                            collaborative.from_triples(index, src, dst, w, last_year=2012)).matrix
    c = {name: FEATURES.index(name) for name in FEATURES}
    frozen, heat = index.position[5], index.position[1]  # 2013 (after the table) and 1995 (in it)
    assert recent[frozen, c["collaborative_late_popularity"]] == pytest.approx(recent[frozen, c["popularity"]])
    assert recent[heat, c["collaborative_late_popularity"]] == 0
    assert today[frozen, c["collaborative_late_window"]] > recent[frozen, c["collaborative_late_window"]] > 0
    watch = load_weights(variant="collaborative").watch
    weights = dict(zip(watch.features, watch.coef, strict=True))
    assert weights["collaborative_late_popularity"] > 0  # fit: how well known a film is does the table's work


def test_what_one_watched_last_counts_more_than_what_one_watched_long_ago(monkeypatch):
    from cine_core.recommend.ranker import features

    monkeypatch.setattr(features, "RECENT", 2)
    index = build_index(CATALOG)
    # Loved Michael Mann's films long ago, family films lately: a family film is closer to what they watch now.
    history = [HistoryItem(1, 5.0, 1.0), HistoryItem(3, 5.0, 2.0), HistoryItem(6, 4.0, 3.0), HistoryItem(7, 4.0, 4.0)]
    feats = person_features(index, history, date(2020, 1, 1)).matrix
    col = FEATURES.index("recent_closeness")
    assert feats[index.position[12], col] > 0 == feats[index.position[2], col]
