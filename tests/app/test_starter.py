"""The starter set a new person rates: well known, and spread over decades, genres, languages and series."""

from __future__ import annotations

from collections import Counter

from cine_core.app import actions, dashboard
from cine_core.app._starter import SUPERHERO, SUPERHERO_SERIES, franchise, spread
from cine_core.db import user_transaction
from cine_core.domain.models import Movie


def _starter(pool, user_id: str) -> list[Movie]:
    with user_transaction(pool, user_id) as conn:
        return [c.movie for c in dashboard.list_onboarding_films(conn, user_id, limit=24)]


def test_the_starter_set_spreads_over_decades_languages_and_series(pool, local_user):
    films = _starter(pool, local_user)
    assert len(films) == 24
    decades = Counter(m.decade for m in films)
    assert len(decades) >= 5 and max(decades.values()) <= 7, decades
    assert sum(m.original_language != "en" for m in films) >= 3
    assert len({m.genres[0] for m in films if m.genres}) >= 8
    superhero = [m.title for m in films if SUPERHERO & set(m.keywords) or franchise(m) in SUPERHERO_SERIES]
    assert len(superhero) <= 1, superhero  # was 5 Marvel films of 24
    assert len({franchise(m) for m in films}) == 24  # one film per series
    directors = Counter(m.directors[0] for m in films if m.directors)
    assert max(directors.values()) == 1, directors
    assert all(m.vote_count >= 5_000 for m in films)  # still films most people have seen


def test_a_rated_film_leaves_the_starter_set_and_another_takes_its_place(pool, local_user):
    first = _starter(pool, local_user)
    actions.rate(pool, local_user, first[0].id, 4.0)
    after = _starter(pool, local_user)
    assert len(after) == 24 and first[0].id not in {m.id for m in after}


def test_series_are_recognised_by_their_title():
    def movie(title: str) -> Movie:
        return Movie(id=hash(title) % 10_000, title=title, year=2000)

    assert franchise(movie("The Dark Knight Rises")) == franchise(movie("The Dark Knight")) == "dark knight"
    assert franchise(movie("Avengers: Endgame")) == franchise(movie("Avengers: Infinity War"))
    assert [m.title for m in spread([movie("Toy Story"), movie("Toy Story 2"), movie("Heat")], 2)] == [
        "Toy Story", "Heat"]
