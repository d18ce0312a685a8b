"""Claude is paid once per verdict: stored per (user, film, taste fingerprint), only new films are sent."""

from __future__ import annotations

import threading

import pytest

from cine_core.db import transaction
from cine_core.domain.models import Match, RatedMovie, TasteProfile
from cine_core.films.catalog import catalog_movies
from cine_core.recommend import pipeline
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.recommend.verdicts import taste_fingerprint
from tests.cine_core.test_scout import popular_ids, rate, stored_picks, tmdb_ctx
from tests.fake_tmdb import FakeTMDB


class RecordingMatcher:
    """Stands in for Claude: local verdicts with a marked reason; records the films of every call."""

    name = "claude"

    def __init__(self) -> None:
        self.sent: list[list[int]] = []
        self._local = LocalMatcher()
        self._lock = threading.Lock()

    def match(self, *, profile, rated, candidates):
        with self._lock:
            self.sent.append([m.id for m in candidates])
        return [Match(m.movie_id, m.confidence, f"(claude) {m.reason}", m.score)
                for m in self._local.match(profile=profile, rated=rated, candidates=candidates)]

    def ever_sent(self) -> set[int]:
        return {i for call in self.sent for i in call}


@pytest.fixture
def scene(pool, db_url, local_user):
    matcher = RecordingMatcher()
    ctx = tmdb_ctx(pool, db_url, FakeTMDB(), matcher=matcher, llm_top_k=10)
    rate(pool, local_user, popular_ids(pool, 4))
    assert pipeline.scout_user(ctx, local_user).llm_called
    assert len(matcher.sent) == 1 and len(matcher.sent[0]) == 10
    return ctx, matcher


def forget_last_analysis(pool, user_id: str) -> None:
    """Make the next pass analyse again (as a changed candidate set or profile version would)."""
    with transaction(pool) as conn:
        conn.execute("update scout_state set candidate_hash = null where user_id = %s", (user_id,))


def test_a_pass_with_nothing_new_makes_no_claude_call(pool, local_user, scene):
    ctx, matcher = scene
    forget_last_analysis(pool, local_user)
    result = pipeline.scout_user(ctx, local_user)
    assert not result.llm_called and not result.reused
    assert len(matcher.sent) == 1
    assert any(p["matcher"] == "claude" and p["reason"].startswith("(claude)") for p in stored_picks(pool, local_user))


def test_one_new_film_in_the_shortlist_sends_exactly_that_film(pool, db_url, local_user, scene):
    _, matcher = scene
    wider = tmdb_ctx(pool, db_url, FakeTMDB(), matcher=matcher, llm_top_k=11)  # one more film makes the top K
    assert pipeline.scout_user(wider, local_user).llm_called
    assert len(matcher.sent) == 2 and len(matcher.sent[1]) == 1
    assert matcher.sent[1][0] not in matcher.sent[0]


def test_a_new_five_star_rating_invalidates_every_verdict(pool, local_user, scene):
    ctx, matcher = scene
    rate(pool, local_user, popular_ids(pool, 1, genre="Drama", offset=40), rating=5.0)
    assert pipeline.scout_user(ctx, local_user).llm_called
    assert len(matcher.sent[1]) == 10
    assert set(matcher.sent[1]) & set(matcher.sent[0])  # films judged before are judged again


def test_a_watchlist_add_invalidates_nothing(pool, local_user, scene):
    ctx, matcher = scene
    with transaction(pool) as conn:
        conn.execute("insert into watchlist (user_id, movie_id) values (%s, %s)", (local_user, matcher.sent[0][0]))
    forget_last_analysis(pool, local_user)
    pipeline.scout_user(ctx, local_user)
    later = [i for call in matcher.sent[1:] for i in call]
    assert not set(later) & set(matcher.sent[0])


def test_the_previous_design_resends_every_film(pool, local_user, scene):
    ctx, matcher = scene
    previous = pipeline.ScoutContext(**{**{f: getattr(ctx, f) for f in ctx.__dataclass_fields__},
                                        "reuse_verdicts": False})
    forget_last_analysis(pool, local_user)
    assert pipeline.scout_user(previous, local_user).llm_called
    assert sorted(matcher.sent[1]) == sorted(matcher.sent[0])


# --- what the fingerprint covers --------------------------------------------------------------------

@pytest.fixture(scope="module")
def films():
    return sorted(catalog_movies(), key=lambda m: -m.popularity)[:6]


def test_fingerprint_changes_with_strong_ratings_removals_insights_and_thumbs(films):
    rated = [RatedMovie(films[0], 5.0), RatedMovie(films[1], 3.0)]
    profile = TasteProfile(recent_learning=("genre:drama",))
    base = taste_fingerprint(profile, rated)
    assert taste_fingerprint(profile, [*rated, RatedMovie(films[2], 4.5)]) != base
    assert taste_fingerprint(profile, [*rated, RatedMovie(films[2], 1.0)]) != base
    assert taste_fingerprint(TasteProfile(recent_learning=("genre:drama",), removed=frozenset({"genre:horror"})),
                             rated) != base
    assert taste_fingerprint(TasteProfile(recent_learning=("genre:drama", "mood:cozy")), rated) != base
    assert taste_fingerprint(TasteProfile(recent_learning=("genre:drama",), pacing="slower"), rated) != base
    assert taste_fingerprint(profile, rated, [(films[3].id, "up")]) != base


def test_fingerprint_ignores_middling_ratings_and_non_taste_feedback(films):
    rated = [RatedMovie(films[0], 5.0)]
    profile = TasteProfile(recent_learning=("genre:drama",))
    base = taste_fingerprint(profile, rated)
    assert taste_fingerprint(profile, [*rated, RatedMovie(films[2], 3.5), RatedMovie(films[3], 2.0)]) == base
    assert taste_fingerprint(profile, rated, [(films[4].id, "dismissed")]) == base
    assert taste_fingerprint(TasteProfile(version=9, recent_learning=("genre:drama",)), rated) == base


def test_a_rating_gets_local_picks_at_once_and_the_next_scheduled_pass_asks_claude(pool, local_user, scene):
    ctx, matcher = scene
    rate(pool, local_user, popular_ids(pool, 1, genre="Drama", offset=40), rating=5.0)
    quick = pipeline.scout_user(ctx, local_user, quick=True)
    assert quick.quick and not quick.llm_called and len(matcher.sent) == 1
    assert stored_picks(pool, local_user)
    assert pipeline.scout_user(ctx, local_user).llm_called and len(matcher.sent) == 2
