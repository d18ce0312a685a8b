"""Local matcher: ranks by taste, explains with the user's own films, honours removals, keeps the contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cine_core.catalog import catalog_movies
from cine_core.db import transaction, user_transaction
from cine_core.features import catalog_feature_space
from cine_core.insights import ChatInsights
from cine_core.models import Movie, RatedMovie
from cine_core.scoring import DEFAULT_MATCHER_CONFIG, LocalMatcher
from cine_core.taste import build_profile, load_profile, load_rated, refresh_profile, remove_preference

INCEPTION, PRESTIGE, INTERSTELLAR = 27205, 1124, 157336
ROMCOMS = (509, 639, 4951)  # Notting Hill, When Harry Met Sally..., 10 Things I Hate About You
T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def films():
    return {m.id: m for m in catalog_movies()}


@pytest.fixture(scope="module")
def matcher():
    return LocalMatcher(space=catalog_feature_space())


def nolan_fan(films):
    return [RatedMovie(films[INCEPTION], 5.0, T0), RatedMovie(films[PRESTIGE], 5.0, T0 + timedelta(days=1))]


def by_id(matches):
    return {m.movie_id: m for m in matches}


def test_nolan_fan_gets_interstellar_above_romantic_comedies_with_a_reason(films, matcher):
    rated = nolan_fan(films)
    matches = matcher.match(profile=build_profile(rated), rated=rated,
                            candidates=[films[i] for i in (*ROMCOMS, INTERSTELLAR)])
    assert matches[0].movie_id == INTERSTELLAR
    top = matches[0]
    assert all(top.confidence > m.confidence for m in matches[1:])
    assert "Christopher Nolan" in top.reason and ("Inception" in top.reason or "The Prestige" in top.reason)
    assert "5★" in top.reason and top.reason.endswith(".")


def test_removing_a_preference_removes_its_effect_on_matching(films, matcher):
    rated = nolan_fan(films)
    candidates = [films[INTERSTELLAR], films[155]]  # Interstellar, The Dark Knight: shared via Nolan only
    before = by_id(matcher.match(profile=build_profile(rated), rated=rated, candidates=candidates))
    without = build_profile(rated, removed=frozenset({"person:christopher nolan"}))
    after = by_id(matcher.match(profile=without, rated=rated, candidates=candidates))
    for movie_id in (INTERSTELLAR, 155):
        assert after[movie_id].score < before[movie_id].score
        assert "Nolan" not in after[movie_id].reason
    assert "Nolan" in before[155].reason


def test_chat_stated_genre_lifts_matching_films_and_is_cited(films, matcher):
    rated = nolan_fan(films)
    said = ChatInsights(conversation_type="general_preference", genres_liked=["romance"], significance=0.9)
    plain = by_id(matcher.match(profile=build_profile(rated), rated=rated, candidates=[films[509]]))
    told = by_id(matcher.match(profile=build_profile(rated, [said]), rated=rated, candidates=[films[509]]))
    assert told[509].score > plain[509].score
    assert told[509].reason.startswith("You told me you love romance")


def test_rated_films_are_never_returned_and_confidences_are_probabilities(films, matcher):
    rated = nolan_fan(films)
    pool = [films[i] for i in (INCEPTION, PRESTIGE, INTERSTELLAR, *ROMCOMS, INTERSTELLAR)]
    matches = matcher.match(profile=build_profile(rated), rated=rated, candidates=pool)
    ids = [m.movie_id for m in matches]
    assert sorted(ids) == sorted({INTERSTELLAR, *ROMCOMS})
    assert all(0.0 <= m.confidence <= 1.0 for m in matches)


def test_film_without_metadata_gets_low_confidence_not_an_error(films, matcher):
    rated = nolan_fan(films)
    mystery = Movie(id=999_999_001, title="Untitled")
    matches = by_id(matcher.match(profile=build_profile(rated), rated=rated, candidates=[mystery, films[INTERSTELLAR]]))
    assert matches[mystery.id].confidence < 0.1 < matches[INTERSTELLAR].confidence
    assert matches[mystery.id].reason


def test_empty_profile_still_scores_every_candidate(films, matcher):
    matches = matcher.match(profile=build_profile([]), rated=[], candidates=[films[i] for i in ROMCOMS])
    assert {m.movie_id for m in matches} == set(ROMCOMS)


def test_films_outside_the_catalog_are_encoded_on_the_fly(films):
    odd = Movie(id=-5, title="Space Dreams", genres=("Science Fiction",), directors=("Christopher Nolan",),
                overview="A thief enters dreams in space.")
    rated = nolan_fan(films)
    matches = LocalMatcher(space=catalog_feature_space()).match(
        profile=build_profile(rated), rated=rated, candidates=[odd, films[509]])
    assert matches[0].movie_id == -5


def test_without_family_switches_it_off():
    assert DEFAULT_MATCHER_CONFIG.without("genre").genre == 0.0
    with pytest.raises(ValueError):
        DEFAULT_MATCHER_CONFIG.without("astrology")


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_contract_one_match_per_known_candidate_sorted(films, matcher, data):
    ids = sorted(films)
    pick = st.sampled_from(ids)
    rated_ids = data.draw(st.lists(pick, max_size=8, unique=True))
    ratings = data.draw(st.lists(st.sampled_from([x / 2 for x in range(1, 11)]), min_size=len(rated_ids),
                                 max_size=len(rated_ids)))
    candidate_ids = data.draw(st.lists(pick, max_size=30))
    rated = [RatedMovie(films[i], r, T0 + timedelta(days=n)) for n, (i, r) in enumerate(zip(rated_ids, ratings))]
    matches = matcher.match(profile=build_profile(rated), rated=rated, candidates=[films[i] for i in candidate_ids])
    returned = [m.movie_id for m in matches]
    assert len(returned) == len(set(returned)), "at most one Match per candidate"
    assert set(returned) == set(candidate_ids) - set(rated_ids)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= m.confidence <= 1.0 and m.reason for m in matches)


def test_removal_through_the_database_changes_matching(pool, local_user, matcher, films):
    with transaction(pool) as conn:
        for n, movie_id in enumerate((INCEPTION, PRESTIGE)):
            conn.execute("insert into ratings (user_id, movie_id, rating, rated_at) values (%s, %s, 5.0, %s)",
                         (local_user, movie_id, T0 + timedelta(days=n)))
    with user_transaction(pool, local_user) as conn:
        refresh_profile(conn, local_user)
        rated = load_rated(conn, local_user)
        before = matcher.match(profile=load_profile(conn, local_user), rated=rated, candidates=[films[155]])[0]
        remove_preference(conn, local_user, "person:christopher nolan")
        after = matcher.match(profile=load_profile(conn, local_user), rated=rated, candidates=[films[155]])[0]
    assert after.score < before.score and "Nolan" in before.reason and "Nolan" not in after.reason
