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
    assert reason == "Like The Avengers, which you rated 4★: an action adventure with Robert Downey Jr."


def test_overlong_reason_is_cut_on_a_word_with_one_ellipsis():
    keywords = ("heist", "dream")
    long_title = Movie(id=1, title="The Night, the Day, " * 12, genres=("Drama",), keywords=keywords)
    neighbour = RatedMovie(long_title, 5.0, datetime(2024, 1, 1, tzinfo=UTC))
    reason = reason_for(Movie(id=2, title="Y", genres=("Drama",), keywords=keywords), profile=TasteProfile(),
                        neighbour=neighbour, strongest="similar")
    assert len(reason) <= MAX_REASON_CHARS and reason.endswith("…") and reason[-2].isalpha(), reason


def test_reasons_read_like_a_sentence_no_raw_tags_and_names_as_the_catalog_spells_them():
    inception = Movie(id=27205, title="Inception", genres=("Action", "Science Fiction"),
                      keywords=("woman director", "cyborg", "shotgun"), directors=("Christopher Nolan",),
                      cast=("Leonardo DiCaprio", "Joseph Gordon-Levitt"))
    candidate = Movie(id=1, title="X", genres=("Science Fiction", "Thriller"), keywords=("cyborg", "shotgun"),
                      directors=("Christopher Nolan",), cast=("Joseph Gordon-Levitt",))
    reason = reason_for(candidate, profile=TasteProfile(), neighbour=RatedMovie(inception, 5.0), strongest="person")
    assert reason == "Like Inception, which you rated 5★: a sci-fi thriller from Christopher Nolan."
    assert "about" not in reason and "cyborg" not in reason
    told = TasteProfile(people={"leonardo dicaprio": 0.8}, recent_learning=("person:leonardo dicaprio",))
    reason = reason_for(Movie(id=2, title="Y", genres=("Drama",), cast=("Leonardo DiCaprio",)), profile=told,
                        neighbour=None, strongest="person")
    assert reason == "You told me you love Leonardo DiCaprio: a drama."


def test_well_reviewed_means_well_reviewed():
    battleship = Movie(id=44833, title="Battleship", genres=("Action",), vote_average=5.5, vote_count=8000)
    shawshank = Movie(id=278, title="The Shawshank Redemption", genres=("Drama", "Crime"), vote_average=8.7,
                      vote_count=28000)
    assert "review" not in reason_for(battleship, profile=TasteProfile(), neighbour=None, strongest="genre")
    assert reason_for(shawshank, profile=TasteProfile(), neighbour=None, strongest="genre") == (
        "Well reviewed: a crime drama, 8.7/10 from 28,000 votes on TMDB.")


def test_the_wikipedia_summary_gives_the_film_its_own_description():
    arrival = Movie(id=329865, title="Arrival", genres=("Drama", "Science Fiction"), enrichment={"wikipedia": {
        "extract": "Arrival is a 2016 American science fiction drama film directed by Denis Villeneuve and "
                   "written by Eric Heisserer. It stars Amy Adams."}})
    assert reason_for(arrival, profile=TasteProfile(), neighbour=None, strongest="genre") == (
        "Something new for you: a 2016 American science fiction drama film directed by Denis Villeneuve.")
