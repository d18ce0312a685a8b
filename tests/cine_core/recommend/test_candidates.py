"""Which films the scout and the ranker consider at all: features, not shorts."""

from __future__ import annotations

from datetime import date

import pytest

from cine_core.domain.models import Movie
from cine_core.recommend.candidates import is_feature
from cine_core.recommend.ranker.index import build_index


def film(movie_id: int, *, runtime: int | None = None, keywords: tuple[str, ...] = (), overview: str = "") -> Movie:
    return Movie(id=movie_id, title=f"Film {movie_id}", year=2020, release_date=date(2020, 1, 1),
                 overview=overview, genres=("Drama",), keywords=keywords, runtime=runtime, vote_count=500)


@pytest.mark.parametrize(("movie", "expected"), [
    (film(1, runtime=120), True),
    (film(2, runtime=12), False),
    (film(3), True),  # unknown runtime, nothing says short: list results carry none
    (film(4, keywords=("bird", "fear", "short")), False),  # Piper
    (film(5, overview="In this Oscar-winning short film, grieving parents journey through an emotional void."),
     False),  # If Anything Happens I Love You
    (film(6, keywords=("based on short story",), overview="Based on a short film by the director."), True),
    (film(7, runtime=95, keywords=("short",)), True),  # a known runtime wins over a keyword
])
def test_a_film_is_a_feature_unless_its_runtime_keywords_or_overview_say_short(movie, expected):
    assert is_feature(movie) is expected


def test_the_catalog_index_never_makes_a_short_without_runtime_eligible():
    index = build_index([film(1, runtime=120), film(4, keywords=("short",)), film(8)])
    assert index.eligible.tolist() == [True, False, True]
