"""👍 / 👎 teach the profile as likes and dislikes, never as ratings (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cine_core.app import actions
from cine_core.db import transaction
from cine_core.domain.models import RatedMovie
from cine_core.films.catalog import catalog_movies
from cine_core.films.rows import upsert_movies
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.profile import FilmFeedback, build_profile
from cine_core.taste.store import load_rated, refresh_profile

INCEPTION, INTERSTELLAR, TENET, LOOPER = 27205, 157336, 577922, 59967
NOTTING_HILL, AMELIE, SPIRITED_AWAY, GODFATHER, HEAT = 509, 194, 129, 238, 949
T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def films():
    return {m.id: m for m in catalog_movies()}


@pytest.fixture(scope="module")
def history(films):
    pairs = [(NOTTING_HILL, 4.5), (AMELIE, 5.0), (SPIRITED_AWAY, 4.5), (GODFATHER, 4.0), (HEAT, 4.0), (INCEPTION, 4.0)]
    return [RatedMovie(films[i], r, T0 + timedelta(days=n)) for n, (i, r) in enumerate(pairs)]


def _score(films, history, feedback, movie_id: int) -> float:
    profile = build_profile(history, feedback=feedback)
    pool = [films[movie_id], films[LOOPER]]
    scored, _, raw = LocalMatcher().score(profile=profile, rated=history, candidates=pool)
    return float(raw[[m.id for m in scored].index(movie_id)])


def test_thumbs_down_on_a_nolan_sci_fi_pick_lowers_another_nolan_sci_fi_film(films, history):
    before = _score(films, history, (), TENET)
    after = _score(films, history, [FilmFeedback(films[INTERSTELLAR], "down")], TENET)
    assert after < before
    profile = build_profile(history, feedback=[FilmFeedback(films[INTERSTELLAR], "down")])
    assert profile.people["christopher nolan"] < build_profile(history).people["christopher nolan"]


def test_thumbs_up_raises_similar_films_and_is_not_a_rating(films, history):
    before = _score(films, history, (), TENET)
    after = _score(films, history, [FilmFeedback(films[INTERSTELLAR], "up")], TENET)
    assert after > before
    assert build_profile(history, feedback=[FilmFeedback(films[INTERSTELLAR], "up")]).rating_count == len(history)


def test_thumbs_never_move_the_decades(films, history):
    disliked = [FilmFeedback(films[INTERSTELLAR], "down"), FilmFeedback(films[TENET], "down")]
    assert build_profile(history, feedback=disliked).decades == build_profile(history).decades


def test_reasons_never_cite_a_film_the_person_only_liked(films, history):
    profile = build_profile(history, feedback=[FilmFeedback(films[LOOPER], "up")])
    candidates = [m for m in films.values() if "Science Fiction" in m.genres and m.vote_count > 3000][:40]
    matches = LocalMatcher().match(profile=profile, rated=history, candidates=candidates)
    titles = {r.movie.title for r in history}
    for match in matches:
        assert "Looper" not in match.reason
        if match.reason.startswith("Like "):
            assert any(match.reason.startswith(f"Like {t},") for t in titles), match.reason


def test_feedback_reaches_the_stored_profile_and_writes_no_rating(pool, local_user, films):
    with transaction(pool) as conn:
        upsert_movies(conn, [films[INTERSTELLAR], films[INCEPTION]])
    actions.rate(pool, local_user, INCEPTION, 4.5)
    with transaction(pool) as conn:
        before = refresh_profile(conn, local_user)
    actions.give_feedback(pool, local_user, INTERSTELLAR, "down")
    with transaction(pool) as conn:
        after = refresh_profile(conn, local_user)
        assert [r.movie.id for r in load_rated(conn, local_user)] == [INCEPTION]
        assert conn.execute("select count(*) as n from ratings where user_id = %s", (local_user,)).fetchone()["n"] == 1
    assert after.version == before.version + 1
    assert after.people.get("christopher nolan", 0.0) < before.people["christopher nolan"]
