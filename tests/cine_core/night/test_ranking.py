"""The joint ranking (weaker of two, streaming preference) and the reason lines, without a database."""

from __future__ import annotations

from cine_core.domain.models import Movie, RatedMovie
from cine_core.night import MemberScores, rank_joint, reason_line
from cine_core.night.joint import fallback_evidence

HEAT = RatedMovie(Movie(949, "Heat", genres=("Crime", "Thriller"), directors=("Michael Mann",)), 5.0)
MEH = RatedMovie(Movie(1, "Meh", genres=("Crime",)), 3.0)


def _scores(**confidence: float) -> MemberScores:
    ids = {int(k.removeprefix("f")): v for k, v in confidence.items()}
    return MemberScores(ids, {i: None for i in ids})


def test_a_film_one_person_loves_and_the_other_does_not_ranks_below_one_both_like():
    alex, sam = _scores(f1=0.95, f2=0.7), _scores(f1=0.2, f2=0.7)
    picks = rank_joint(alex, sam, {}, limit=5)
    assert [(p.movie_id, p.confidence) for p in picks] == [(2, 0.7), (1, 0.2)]


def test_only_films_both_were_judged_on_are_listed_and_at_most_limit():
    picks = rank_joint(_scores(f1=0.9, f2=0.8, f3=0.7), _scores(f2=0.8, f3=0.7, f4=0.99), {}, limit=1)
    assert [p.movie_id for p in picks] == [2]


def test_what_both_can_stream_goes_first_among_close_films_but_keeps_its_own_confidence():
    alex, sam = _scores(f1=0.80, f2=0.78, f3=0.60), _scores(f1=0.80, f2=0.78, f3=0.60)
    picks = rank_joint(alex, sam, {2: 2, 3: 2}, limit=3)
    assert [p.movie_id for p in picks] == [2, 1, 3]
    assert (picks[0].confidence, picks[0].streamable) == (0.78, 2)


def test_the_cited_film_shares_a_director_or_genre_and_was_rated_highly():
    candidate = Movie(2, "Collateral", genres=("Crime",), directors=("Michael Mann",))
    assert fallback_evidence(candidate, [MEH, HEAT]) == HEAT
    assert fallback_evidence(Movie(3, "Up", genres=("Animation",)), [MEH, HEAT]) is None


def test_reason_lines_speak_to_the_viewer_and_name_the_partner():
    assert reason_line(None, "Heat", 5) == "You loved Heat"
    assert reason_line(None, "Heat", 4) == "You rated Heat 4★"
    assert reason_line("Sam", "Collateral", 5) == "Sam rated Collateral 5★"
    assert reason_line("Sam", None, None) == "Something new for Sam"
