"""The local extractor: the seed's two examples, and the kinds of taste it picks up."""

from __future__ import annotations

import pytest

from cine_core.chat._local_extractor import LocalExtractor
from cine_core.chat._mentions import CatalogIndex
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import ConversationType, Movie

DUNE = Movie(id=438631, title="Dune", year=2021, genres=("Science Fiction", "Adventure"), directors=("Denis Villeneuve",))
INCEPTION = Movie(id=27205, title="Inception", genres=("Science Fiction", "Action"), directors=("Christopher Nolan",),
                  cast=("Leonardo DiCaprio",))
INTERSTELLAR = Movie(id=157336, title="Interstellar", genres=("Science Fiction",), directors=("Christopher Nolan",))
HER = Movie(id=152601, title="Her", genres=("Romance", "Drama"), directors=("Spike Jonze",))


@pytest.fixture(scope="module")
def extractor():
    return LocalExtractor(CatalogIndex.from_movies([DUNE, INCEPTION, INTERSTELLAR, HER]))


def test_seed_dune_example(extractor):
    out = extractor.extract("I loved Dune's visuals but it was too slow")
    [dune] = out.films
    assert (dune.title, dune.sentiment, dune.aspects, dune.movie_id) == ("Dune", "loved", ["visuals"], 438631)
    assert [(s.style, s.sentiment) for s in out.visual_style] == [("epic", "positive")]
    assert out.pacing == "faster"
    assert out.conversation_type is ConversationType.LOVED_IT
    assert out.summary.startswith("prefers faster pacing; loves epic visuals")
    assert out.significance > 0.7


def test_seed_rainy_sunday_example(extractor):
    out = extractor.extract("Perfect movie for a rainy Sunday")
    assert out.mood_context == "rainy day"
    assert {"cozy", "atmospheric"} <= set(out.mood)
    assert out.conversation_type is ConversationType.MOOD_REQUEST
    assert out.films == [] and out.significance <= 0.7


def test_seed_examples_with_the_real_catalog():
    out = LocalExtractor().extract("I loved Dune's visuals but it was too slow")
    assert out.films[0].title == "Dune" and out.films[0].movie_id is not None
    assert out.visual_style[0].style == "epic"


def test_genres_liked_and_disliked_use_tmdb_names(extractor):
    out = extractor.extract("I can't stand horror movies, but I love sci-fi. Romantic comedies are boring.")
    assert out.genres_liked == ["science fiction"]
    assert set(out.genres_disliked) == {"horror", "romance", "comedy"}


def test_people_by_catalog_name_and_by_pattern(extractor):
    out = extractor.extract("Christopher Nolan is my favorite director and I like Leonardo DiCaprio")
    assert {(p.name, p.role, p.sentiment) for p in out.people} == {
        ("Christopher Nolan", "director", "like"), ("Leonardo DiCaprio", "actor", "like")}


def test_more_like_this(extractor):
    out = extractor.extract("Give me more films like Interstellar")
    assert out.conversation_type is ConversationType.WANT_MORE_LIKE_THIS
    assert out.films[0].movie_id == 157336


def test_hated_it_and_negation(extractor):
    out = extractor.extract("I watched Her last night and hated it")
    assert out.conversation_type is ConversationType.HATED_IT and out.films[0].sentiment == "hated"
    assert extractor.extract("I didn't love Inception").films[0].sentiment == "disliked"


def test_common_words_are_not_films(extractor):
    out = extractor.extract("I love her and I want something to watch with her")
    assert out.films == []


def test_themes_and_slow_burns(extractor):
    out = extractor.extract("I love time travel stories and slow burn thrillers")
    assert "time travel" in out.themes_liked and out.pacing == "slower"


def test_the_film_being_discussed_gets_the_sentiment(extractor):
    out = extractor.extract("Absolutely loved it, the soundtrack was amazing", movie=INCEPTION)
    assert [(f.movie_id, f.sentiment) for f in out.films] == [(27205, "loved")]
    assert "soundtrack" in out.films[0].aspects


def test_nothing_to_learn_is_insignificant(extractor):
    out = extractor.extract("hello there")
    assert out == ChatInsights(conversation_type="general_preference", significance=0.05)


@pytest.mark.parametrize(
    ("message", "pacing"),
    [
        ("I want faster pacing", "faster"),
        ("I like fast-paced thrillers", "faster"),
        ("It dragged, way too long", "faster"),
        ("I hate slow burn movies", "faster"),
        ("I prefer slow burn films", "slower"),
        ("That one felt too rushed", "slower"),
        ("I don't like fast-paced action", "slower"),
    ],
)
def test_pacing_wishes_and_complaints_point_the_right_way(message, pacing):
    assert LocalExtractor().extract(message).pacing == pacing


@pytest.mark.parametrize(
    ("message", "pacing"),
    [
        ("too many fast-paced action movies lately, i prefer slower stuff", "slower"),
        ("something from the 90s, not too long", None),
        ("nothing too slow please", None),
    ],
)
def test_a_stated_wish_wins_and_a_limit_is_not_a_complaint(extractor, message, pacing):
    assert extractor.extract(message).pacing == pacing


def test_chat_spelling_and_idioms(extractor):
    assert extractor.extract("i really dont like musicals").genres_disliked == ["music"]
    assert extractor.extract("Inception is one of my all time favs").films[0].sentiment == "loved"
    assert [f.sentiment for f in extractor.extract("my comfort films are Dune and Inception").films] == ["loved"] * 2
    assert extractor.extract("ich liebe Inception").films[0].sentiment == "loved"
    assert extractor.extract("Inception was not too bad").films[0].sentiment == "liked"
    assert extractor.extract("love a good whodunit").genres_liked == ["mystery"]


@pytest.mark.parametrize(
    ("message", "moods", "genres"),
    [
        ("something uplifting please", ["uplifting"], []),
        ("show me some korean thrillers", [], ["thriller"]),
        ("a quick comedy under 2 hours?", [], ["comedy"]),
    ],
)
def test_a_request_teaches_what_it_asks_for(extractor, message, moods, genres):
    out = extractor.extract(message)
    assert (out.mood, out.genres_liked) == (moods, genres)
    assert out.conversation_type is ConversationType.MOOD_REQUEST


def test_what_a_request_wants_to_avoid(extractor):
    out = extractor.extract("what should we watch tonight? nothing too violent")
    assert out.themes_disliked == ["violence"] and out.themes_liked == []
