"""A chat suggestion's reason cites a film the person loved when one is close, as picks' reasons do."""

from __future__ import annotations

from cine_core.domain.chat_turn import RequestSpec
from cine_core.domain.models import Movie, RatedMovie
from cine_core.recommend.suggest import reason_line

WALL_E = Movie(2008, "WALL·E", year=2008, genres=("Animation", "Family", "Science Fiction"),
               keywords=("robot", "space"), directors=("Andrew Stanton",), runtime=98)
UP = Movie(14160, "Up", year=2009, genres=("Animation", "Family", "Adventure"), keywords=("balloon",),
           directors=("Pete Docter",), runtime=96)
FINDING_NEMO = Movie(12, "Finding Nemo", year=2003, genres=("Animation", "Family"), directors=("Andrew Stanton",))
HEAT = Movie(949, "Heat", year=1995, genres=("Crime", "Drama", "Action"), directors=("Michael Mann",))
UPLIFTING = RequestSpec(moods=["uplifting"])


def test_an_uplifting_suggestion_cites_the_closest_film_the_person_loved():
    rated = [RatedMovie(HEAT, 5.0), RatedMovie(UP, 4.5), RatedMovie(FINDING_NEMO, 4.0)]
    line = reason_line(WALL_E, UPLIFTING, [], ["uplifting"], rated)
    assert line.startswith("Uplifting, and like Finding Nemo, which you rated 4★: animation and family")


def test_a_film_rated_below_four_stars_or_unlike_the_suggestion_is_never_cited():
    rated = [RatedMovie(FINDING_NEMO, 3.0), RatedMovie(HEAT, 5.0)]
    line = reason_line(WALL_E, UPLIFTING, [], ["uplifting"], rated)
    assert "Finding Nemo" not in line and "Heat" not in line
    assert line.startswith("Uplifting: animation and family")


def test_without_a_mood_the_cited_film_leads_the_reason():
    line = reason_line(WALL_E, RequestSpec(), [], [], [RatedMovie(UP, 4.5)])
    assert line.startswith("Like Up, which you rated 4.5★: animation and family")
