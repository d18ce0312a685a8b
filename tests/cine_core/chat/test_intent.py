"""Understanding a chat message locally: questions, requests and follow-ups, pure (no database)."""

from __future__ import annotations

import pytest

from cine_core.chat._intent import understand
from cine_core.chat._local_extractor import LocalExtractor
from cine_core.chat._mentions import CatalogIndex, find_names
from cine_core.domain.models import Movie
from cine_core.domain.vocabulary import GRIM_MOODS, MOODS

HEAT = Movie(id=949, title="Heat", year=1995, runtime=170, genres=("Crime", "Thriller"), directors=("Michael Mann",))
KNIVES_OUT = Movie(id=546554, title="Knives Out", year=2019, runtime=131, genres=("Mystery", "Comedy"))


@pytest.fixture(scope="module")
def extractor():
    return LocalExtractor(CatalogIndex.from_movies([HEAT, KNIVES_OUT]))


def _understand(extractor, text, previous=None):
    insights = extractor.extract(text)
    return understand(text, insights, find_names(text, extractor.index), previous=previous)


@pytest.mark.parametrize("message", [
    "who's in Knives Out?", "where can I watch Heat?", "is Heat too long for a weeknight?",
    "was Knives Out filmed in Boston?", "any idea how long Heat is?", "what's Knives Out like?",
])
def test_a_question_about_a_named_film(extractor, message):
    understood = _understand(extractor, message)
    assert understood.intent == "question" and understood.about is not None


@pytest.mark.parametrize("message", ["got anything like Heat?", "any films like Knives Out?"])
def test_asking_for_films_like_one_is_a_request_not_a_question(extractor, message):
    understood = _understand(extractor, message)
    assert understood.intent == "request" and understood.request.like_ids


@pytest.mark.parametrize(("message", "runtime_max", "genres"), [
    ("a quick comedy under 2 hours?", 120, ["comedy"]), ("surprise me", None, []),
    ("any good 80s action movies?", None, ["action"]), ("thrilling heist movie please", None, []),
])
def test_requests_without_a_please_or_a_recommend(extractor, message, runtime_max, genres):
    understood = _understand(extractor, message)
    assert understood.intent == "request"
    assert (understood.request.runtime_max, understood.request.genres) == (runtime_max, genres)


def test_a_follow_up_adds_a_mood_of_the_same_kind_and_drops_the_opposite(extractor):
    uplifting = _understand(extractor, "something uplifting please").request
    assert _understand(extractor, "funnier", uplifting).request.moods == ["funny", "uplifting"]
    assert _understand(extractor, "something darker", uplifting).request.moods == ["dark"]
    dark = _understand(extractor, "something dark please").request
    assert _understand(extractor, "scarier", dark).request.moods == ["scary", "dark"]
    assert GRIM_MOODS <= set(MOODS)  # the groups are the vocabulary's moods


@pytest.mark.parametrize("message", ["you're now my favourite app lol", "lol", "haha nice"])
def test_praise_and_laughter_are_small_talk(extractor, message):
    assert _understand(extractor, message).intent == "small_talk"
