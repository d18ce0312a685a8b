"""Taste profile: what ratings and chat teach, storage and versioning, user corrections (real Postgres)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cine_core.db import transaction
from cine_core.domain.insights import ChatInsights, PersonPreference, StylePreference
from cine_core.domain.models import RatedMovie
from cine_core.films.catalog import catalog_movies
from cine_core.taste.profile import ProfileConfig
from cine_core.taste.store import (
    apply_insights,
    build_profile,
    load_profile,
    load_rated,
    profile_from_json,
    profile_to_json,
    rating_weights,
    refresh_profile,
    remove_preference,
    summarize,
)

INCEPTION, PRESTIGE, NOTTING_HILL, NOTEBOOK, HARRY_SALLY = 27205, 1124, 509, 11036, 639
T0 = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def films():
    return {m.id: m for m in catalog_movies()}


def rated(films, *pairs, start=T0):
    return [RatedMovie(films[i], r, start + timedelta(days=n)) for n, (i, r) in enumerate(pairs)]


def chat(**fields) -> ChatInsights:
    return ChatInsights(conversation_type=fields.pop("conversation_type", "general_preference"),
                        significance=fields.pop("significance", 0.8), **fields)


def rate(pool, user, movie_id, rating, when=T0):
    with transaction(pool) as conn:
        conn.execute(
            "insert into ratings (user_id, movie_id, rating, rated_at) values (%s, %s, %s, %s)"
            " on conflict (user_id, movie_id) do update set rating = excluded.rating",
            (user, movie_id, rating, when),
        )


def test_five_star_nolan_scifi_raises_scifi_and_nolan(films):
    base = rated(films, (NOTTING_HILL, 4.5), (NOTEBOOK, 4.0), (HARRY_SALLY, 4.0))
    before = build_profile(base)
    after = build_profile(base + rated(films, (INCEPTION, 5.0), start=T0 + timedelta(days=10)))
    assert after.genres.get("science fiction", 0) > before.genres.get("science fiction", 0) + 0.1
    assert after.people.get("christopher nolan", 0) > 0.1 == before.people.get("christopher nolan", 0.1)
    assert after.genres["romance"] < before.genres["romance"]


def test_rating_order_half_life_halves_weight_per_newer_ratings_and_ignores_list_order(films):
    config = ProfileConfig(pivot=0.0, power=0.0, half_life_days=None, half_life_ratings=2.0)
    ratings = rated(films, (NOTTING_HILL, 4.0), (NOTEBOOK, 4.0), (HARRY_SALLY, 4.0))
    assert rating_weights(ratings, config) == pytest.approx([0.5, 2 ** -0.5, 1.0])
    assert rating_weights(ratings[::-1], config) == pytest.approx([1.0, 2 ** -0.5, 0.5])


def test_rating_order_half_life_ranks_simultaneous_ratings_together_and_undated_ones_last(films):
    config = ProfileConfig(pivot=0.0, power=0.0, half_life_days=None, half_life_ratings=1.0)
    batch = [RatedMovie(films[i], 4.0, T0) for i in (NOTTING_HILL, NOTEBOOK)]
    undated = RatedMovie(films[HARRY_SALLY], 4.0, None)
    assert rating_weights([*batch, undated], config) == pytest.approx([1.0, 1.0, 0.25])
    assert rating_weights([undated, undated], config) == pytest.approx([1.0, 1.0])


def test_low_ratings_teach_no_likes(films):
    profile = build_profile(rated(films, (NOTTING_HILL, 4.5), (INCEPTION, 1.0)))
    assert profile.people.get("christopher nolan", 0) <= 0
    assert profile.rating_count == 2 and profile.mean_rating == 2.75


def test_chat_preferences_weigh_strongly_and_are_recent_learning(films):
    many_romances = rated(films, (NOTTING_HILL, 5.0), (NOTEBOOK, 5.0), (HARRY_SALLY, 5.0))
    profile = build_profile(many_romances, [chat(
        genres_liked=["Sci-Fi"], genres_disliked=["romance"], pacing="faster",
        visual_style=[StylePreference(style="epic", sentiment="positive")],
        people=[PersonPreference(name="Denis Villeneuve", role="director", sentiment="like")],
    )])
    assert profile.genres["science fiction"] >= 0.6
    assert profile.genres["romance"] < 0, "a stated dislike beats ratings-derived affinity"
    assert profile.pacing == "faster" and profile.visual_style["epic"] > 0
    assert profile.recent_learning[:2] == ("genre:science fiction", "genre:romance")
    assert "person:denis villeneuve" in profile.recent_learning and "pacing" in profile.recent_learning


def test_removed_keys_never_appear(films):
    profile = build_profile(rated(films, (INCEPTION, 5.0)), [chat(pacing="slower", genres_liked=["horror"])],
                            removed=frozenset({"person:christopher nolan", "pacing", "genre:horror"}))
    assert "christopher nolan" not in profile.people and profile.pacing is None and "horror" not in profile.genres
    assert not {"pacing", "genre:horror"} & set(profile.recent_learning)
    keys = {item.key for group in (summarize(profile).people, summarize(profile).recent_learning) for item in group}
    assert "person:christopher nolan" not in keys


def test_json_round_trip(films):
    profile = build_profile(rated(films, (INCEPTION, 5.0), (PRESTIGE, 4.0)), [chat(mood=["cozy"], mood_context="rainy day")],
                            removed=frozenset({"genre:drama"}), user_id="u1", version=3)
    again = profile_from_json(profile_to_json(profile), user_id="u1", version=3)
    assert profile_to_json(again) == profile_to_json(profile)
    assert again.decades == profile.decades and again.removed == profile.removed


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=5), st.one_of(st.none(), st.integers(), st.text(max_size=3),
                                                     st.floats(allow_nan=False), st.lists(st.integers()))))
def test_profile_from_json_tolerates_garbage(data):
    profile = profile_from_json({"genres": data, "decades": data, "pacing": data, "removed": data}, user_id=None, version=0)
    assert all(-1.0 <= v <= 1.0 for v in profile.genres.values())


def test_summary_items_carry_removable_keys(films):
    profile = build_profile(rated(films, (INCEPTION, 5.0), (PRESTIGE, 5.0)), [chat(pacing="faster")])
    summary = summarize(profile)
    assert summary.favourite_genres and summary.favourite_genres[0].key.startswith("genre:")
    assert any(p.key == "person:christopher nolan" and p.label == "Christopher Nolan" for p in summary.people)
    assert summary.pacing is not None and summary.pacing.key == "pacing" and "faster" in summary.pacing.label


def test_refresh_writes_and_bumps_version_only_on_change(pool, local_user):
    rate(pool, local_user, INCEPTION, 5.0)
    with transaction(pool) as conn:
        assert load_profile(conn, local_user).version == 0
        first = refresh_profile(conn, local_user)
    assert first.version == 1 and first.people["christopher nolan"] > 0
    with transaction(pool) as conn:
        assert refresh_profile(conn, local_user).version == 1, "a no-op rebuild keeps the version"
    rate(pool, local_user, PRESTIGE, 4.5, T0 + timedelta(days=1))
    with transaction(pool) as conn:
        assert refresh_profile(conn, local_user).version == 2
        assert [r.movie.id for r in load_rated(conn, local_user)] == [INCEPTION, PRESTIGE]
        assert load_profile(conn, local_user).rating_count == 2


def test_removed_preference_stays_removed_on_rebuild(pool, local_user):
    rate(pool, local_user, INCEPTION, 5.0)
    with transaction(pool) as conn:
        v1 = refresh_profile(conn, local_user).version
        removed = remove_preference(conn, local_user, "person:Christopher Nolan")
    assert removed.version == v1 + 1 and "christopher nolan" not in removed.people
    rate(pool, local_user, PRESTIGE, 5.0, T0 + timedelta(days=1))
    with transaction(pool) as conn:
        rebuilt = refresh_profile(conn, local_user)
        assert "christopher nolan" not in rebuilt.people and "person:christopher nolan" in rebuilt.removed


def test_apply_insights_merges_stored_conversation_once(pool, local_user):
    insight = chat(genres_liked=["thriller"], people=[PersonPreference(name="Greta Gerwig", sentiment="like")])
    with transaction(pool) as conn:
        conn.execute(
            "insert into movie_conversations (user_id, conversation_type, what_you_said, ai_learned)"
            " values (%s, %s, %s, %s::jsonb)",
            (local_user, "general_preference", "I like thrillers and Greta Gerwig", insight.model_dump_json()),
        )
        profile = apply_insights(conn, local_user, insight)
    assert profile.version == 1 and profile.genres["thriller"] == pytest.approx(0.6)
    assert profile.recent_learning[0] == "genre:thriller"
    with transaction(pool) as conn:
        assert refresh_profile(conn, local_user).version == 1, "rebuild equals what apply_insights stored"
        later = apply_insights(conn, local_user, chat(pacing="slower"))
    assert later.version == 2 and later.pacing == "slower" and later.recent_learning[0] == "pacing"


def test_profiles_are_per_user(pool, local_user, make_user):
    other = make_user()
    rate(pool, other, INCEPTION, 5.0)
    with transaction(pool) as conn:
        assert refresh_profile(conn, local_user).people == {}
    with transaction(pool) as conn:
        assert refresh_profile(conn, other).people["christopher nolan"] > 0
