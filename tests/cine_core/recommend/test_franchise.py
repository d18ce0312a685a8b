"""A grid holds one film per franchise and no later instalment of a series the person has not started."""

from __future__ import annotations

import pytest

from cine_core.films.catalog import catalog_movies
from cine_core.recommend.franchise import diversify, instalment, same_series


@pytest.fixture(scope="module")
def by_title():
    return {m.title: m for m in sorted(catalog_movies(), key=lambda m: m.vote_count) if m.vote_count > 300}


@pytest.mark.parametrize(("a", "b"), [
    ("The Matrix", "The Matrix Reloaded"), ("The Matrix Reloaded", "The Matrix Revolutions"),
    ("Terminator 2: Judgment Day", "Terminator 3: Rise of the Machines"),
    ("Terminator 3: Rise of the Machines", "Terminator Salvation"), ("Toy Story", "Toy Story 3"),
    ("The Godfather", "The Godfather Part II"), ("The Dark Knight", "The Dark Knight Rises"),
])
def test_films_of_one_series_are_recognised(by_title, a, b):
    assert same_series(by_title[a], by_title[b])


@pytest.mark.parametrize(("a", "b"), [
    ("Home Alone", "Home"), ("Inception", "Interstellar"), ("Heat", "Collateral"),
    ("Spirited Away", "Princess Mononoke"),
])
def test_unrelated_films_are_not_a_series(by_title, a, b):
    assert not same_series(by_title[a], by_title[b])


def test_no_grid_holds_two_films_of_one_collection(by_title):
    titles = ["The Matrix Reloaded", "The Matrix Revolutions", "Terminator 2: Judgment Day",
              "Terminator 3: Rise of the Machines", "Terminator Salvation", "Heat", "The Matrix"]
    films = {by_title[t].id: by_title[t] for t in titles}
    seen = [by_title["The Terminator"], by_title["The Matrix"]]
    kept = [films[i].title for i in diversify(list(films), films, seen)]
    assert kept == ["The Matrix Reloaded", "Terminator 2: Judgment Day", "Heat"]


def test_a_later_instalment_of_an_unseen_series_is_left_out(by_title):
    films = {m.id: m for m in (by_title["Toy Story 3"], by_title["Heat"])}
    assert instalment(by_title["Toy Story 3"]) == 3
    assert [films[i].title for i in diversify(list(films), films, [])] == ["Heat"]
    assert [films[i].title for i in diversify(list(films), films, [by_title["Toy Story"]])] == ["Toy Story 3", "Heat"]
