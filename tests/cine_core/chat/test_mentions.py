"""Names in chat text: titles with a possessive inside, names with lower-case particles, a title opening a
sentence before a colon, numbers-only titles, questions that teach nothing, and the AI theme (issue 14)."""

from __future__ import annotations

import pytest

from cine_core.chat import _allow_list as allow_list
from cine_core.chat import _mentions as mentions
from cine_core.chat._local_extractor import LocalExtractor
from cine_core.chat._mentions import CatalogIndex, find_names
from cine_core.domain.models import Movie

PANS = Movie(id=1417, title="Pan's Labyrinth", year=2006, genres=("Fantasy", "Drama"), directors=("Guillermo del Toro",))
PAN = Movie(id=266647, title="Pan", year=2015, genres=("Adventure",))
LABYRINTH = Movie(id=13597, title="Labyrinth", year=1986, genres=("Fantasy",))
KIKI = Movie(id=16859, title="Kiki's Delivery Service", year=1989, genres=("Animation",))
WHIPLASH = Movie(id=244786, title="Whiplash", year=2014, genres=("Drama", "Music"))
TEN = Movie(id=11343, title="10", year=1979, genres=("Comedy",))
NINETEEN_17 = Movie(id=530915, title="1917", year=2019, genres=("War",))
CATS = Movie(id=536869, title="Cats", year=2019, genres=("Comedy",), cast=("Benicio del Toro",))
RATATOUILLE = Movie(id=2062, title="Ratatouille", year=2007, genres=("Animation",))
MOVIES = [PANS, PAN, LABYRINTH, KIKI, WHIPLASH, TEN, NINETEEN_17, CATS, RATATOUILLE]


@pytest.fixture(scope="module")
def extractor():
    return LocalExtractor(CatalogIndex.from_movies(MOVIES))


def _names(extractor, text):
    return [(f.name, f.kind) for f in find_names(text, extractor.index)]


def _films(extractor, text):
    return {(f.title, f.sentiment) for f in extractor.extract(text).films}


def test_a_possessive_inside_a_title_keeps_the_title_whole(extractor):
    assert _names(extractor, "I loved Pan's Labyrinth") == [("Pan's Labyrinth", "film")]
    assert _names(extractor, "Kiki's Delivery Service is my comfort movie") == [("Kiki's Delivery Service", "film")]


def test_a_possessive_that_is_not_part_of_a_title_still_names_the_film(extractor):
    assert _names(extractor, "I loved Whiplash's drumming") == [("Whiplash", "film")]


def test_a_name_with_a_lower_case_particle_is_one_person(extractor):
    text = "I loved Pan's Labyrinth, Guillermo del Toro is a genius"
    assert _names(extractor, text) == [("Pan's Labyrinth", "film"), ("Guillermo del Toro", "director")]
    assert [(p.name, p.sentiment) for p in extractor.extract(text).people] == [("Guillermo del Toro", "like")]
    assert _names(extractor, "Benicio del Toro was great") == [("Benicio del Toro", "actor")]


def test_a_title_opening_a_sentence_before_a_colon_is_the_film_not_the_score(extractor):
    assert _films(extractor, "Whiplash: 10/10 would watch again") == {("Whiplash", "loved")}


@pytest.mark.parametrize("text", ["I'd give it 10 out of 10", "I watched 10 films this month", "rated 10/10",
                                  "under 10 mins please", "we were 10 at the party"])
def test_a_bare_number_is_not_a_numbers_only_title(extractor, text):
    assert not [n for n in find_names(text, extractor.index) if n.kind == "film"]


@pytest.mark.parametrize(("text", "title"), [("the film 10 is silly fun", "10"), ('I loved "10"', "10"),
                                             ("loved 1917, what a ride", "1917")])
def test_a_numbers_only_title_needs_stronger_evidence(extractor, text, title):
    assert [n.name for n in find_names(text, extractor.index) if n.kind == "film"] == [title]


@pytest.mark.parametrize("text", ["is Cats as terrible as everyone says?", "is Ratatouille good?",
                                  "is Cats actually that bad lol", "was Whiplash really that intense?"])
def test_a_question_about_a_film_teaches_nothing_about_it(extractor, text):
    insights = extractor.extract(text)
    assert [f.sentiment for f in insights.films] == ["neutral"] and insights.summary == ""


def test_a_statement_inside_a_question_still_teaches(extractor):
    assert _films(extractor, "is Cats worth it if I loved Ratatouille?") == {("Cats", "neutral"),
                                                                              ("Ratatouille", "loved")}


def test_a_verdict_right_after_a_bare_title_is_about_it(extractor):
    assert _films(extractor, "Kiki's Delivery Service? awful.") == {("Kiki's Delivery Service", "hated")}


@pytest.mark.parametrize("text", ["J'ai adoré Ratatouille", "j'ai vu Whiplash, j'ai adoré"])
def test_j_ai_is_not_the_ai_theme(extractor, text):
    insights = extractor.extract(text)
    assert "artificial intelligence" not in insights.themes_liked and insights.films[0].sentiment == "loved"


@pytest.mark.parametrize("text", ["I love films about AI", "I love films about A.I. and robots",
                                  "I love artificial intelligence stories"])
def test_the_ai_theme_as_a_word(extractor, text):
    assert "artificial intelligence" in extractor.extract(text).themes_liked


def test_an_unreadable_catalog_is_not_remembered(monkeypatch):
    """A catalog that cannot be read gives an empty index and keyword list for that message only: the next message
    builds them again (they were cached empty for the life of the process)."""
    def unreadable():
        raise OSError("catalog.jsonl.gz: no such file")

    mentions._built_catalog_index.forget()
    allow_list._built_catalog_keywords.forget()
    extractor = LocalExtractor()  # as the chat's own (conversation._LOCAL): made once, used for every message
    with monkeypatch.context() as patched:
        patched.setattr(mentions, "catalog_movies", unreadable)
        patched.setattr(allow_list, "catalog_movies", unreadable)
        assert mentions.catalog_index().titles == {}
        assert allow_list.catalog_keywords() == frozenset()
        assert extractor.extract("I loved Heat").films == []
    assert mentions.catalog_index().titles
    assert "heist" in allow_list.catalog_keywords()
    assert [f.title for f in extractor.extract("I loved Heat").films] == ["Heat"]
