""""What did you learn about me?" also says what the whole history says: top films, directors, decade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cine_core.chat._history_words import history_text
from cine_core.domain.models import Movie, RatedMovie

T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _rated(title, rating, day, *, director="Someone Else", year=1995):
    return RatedMovie(Movie(hash(title) % 10_000, title, year=year, directors=(director,)), rating,
                      T0 + timedelta(days=day))


def test_names_the_latest_top_rated_films_the_best_rated_director_and_the_main_decade():
    rated = [_rated("Heat", 5.0, 1, director="Michael Mann"), _rated("Thief", 4.5, 2, director="Michael Mann"),
             _rated("Collateral", 4.5, 3, director="Michael Mann", year=2004),
             _rated("Ran", 5.0, 4, director="Akira Kurosawa", year=1985),
             _rated("Ikiru", 5.0, 5, director="Akira Kurosawa", year=1952),
             _rated("Kagemusha", 3.5, 6, director="Akira Kurosawa", year=1980),
             _rated("Au Revoir les Enfants", 5.0, 7, year=1987), _rated("Cats", 1.0, 8, director="Tom Hooper"),
             _rated("Les Misérables", 2.0, 9, director="Tom Hooper"), _rated("The Danish Girl", 2.0, 9.5,
                                                                               director="Tom Hooper"),
             *[_rated(f"Film {i}", 3.0, 10 + i) for i in range(4)]]
    text = history_text(rated)
    assert text.startswith("Your highest-rated lately: Au Revoir les Enfants, Ikiru and Ran (5★).")
    assert "Directors you rate highest: Michael Mann (3 films, 4.7★ on average) and Akira Kurosawa (3 films, 4.5★" in text
    assert "Most of what you've rated is from the 1990s" in text and "across 4 decades." in text
    assert "Tom Hooper" not in text  # seen three times, rated low: not a director she rates highest


def test_a_short_lukewarm_history_claims_nothing():
    assert history_text([_rated("Cats", 3.0, 1)]) == ""
    assert history_text([]) == ""
