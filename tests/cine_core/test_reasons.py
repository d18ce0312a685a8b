"""Local reasons: one sentence, ending once, never longer than the card allows."""

from __future__ import annotations

from datetime import UTC, datetime

from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.recommend.reasons import MAX_REASON_CHARS, reason_for

AVENGERS = Movie(id=24428, title="The Avengers", genres=("Action", "Adventure"), cast=("Robert Downey Jr.",))
IRON_MAN_2 = Movie(id=10138, title="Iron Man 2", genres=("Action", "Adventure"), cast=("Robert Downey Jr.",))


def test_reason_ending_in_an_abbreviation_gets_one_full_stop():
    neighbour = RatedMovie(AVENGERS, 4.0, datetime(2024, 1, 1, tzinfo=UTC))
    reason = reason_for(IRON_MAN_2, profile=TasteProfile(), neighbour=neighbour, strongest="similar")
    assert reason == "Like The Avengers, which you rated 4★: action and adventure with Robert Downey Jr."


def test_overlong_reason_is_cut_on_a_word_with_one_ellipsis():
    keywords = ("heist", "dream")
    long_title = Movie(id=1, title="The Night, the Day, " * 12, genres=("Drama",), keywords=keywords)
    neighbour = RatedMovie(long_title, 5.0, datetime(2024, 1, 1, tzinfo=UTC))
    reason = reason_for(Movie(id=2, title="Y", genres=("Drama",), keywords=keywords), profile=TasteProfile(),
                        neighbour=neighbour, strongest="similar")
    assert len(reason) <= MAX_REASON_CHARS and reason.endswith("…") and reason[-2].isalpha(), reason
