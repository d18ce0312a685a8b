"""The scout on a real Postgres with the offline catalog, or a fake TMDB behind httpx.MockTransport."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.models import DiscoverySource
from cine_core.films.cache import MovieStore
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend import pipeline
from cine_core.recommend.local_scorer import LocalMatcher
from tests.anthropic_stub import anthropic_stub  # noqa: F401 (fixture)
from tests.fake_tmdb import FakeTMDB

VALID_SOURCES = {str(s) for s in DiscoverySource}


class CountingMatcher:
    """Stands in for the Claude matcher: the local verdicts, one counted call per user."""

    name = "claude"

    def __init__(self) -> None:
        self.calls: list[int] = []
        self._local = LocalMatcher()
        self._lock = threading.Lock()

    def match(self, *, profile, rated, candidates):
        with self._lock:
            self.calls.append(len(candidates))
        return [m.__class__(m.movie_id, m.confidence, f"(claude) {m.reason}", m.score)
                for m in self._local.match(profile=profile, rated=rated, candidates=candidates)]


def _settings(db_url: str, **overrides) -> Settings:
    return Settings(_env_file=None, database_url=db_url, **overrides)


def popular_ids(pool, n: int, genre: str = "Science Fiction", offset: int = 0) -> list[int]:
    with pool.connection() as conn:
        rows = conn.execute(
            "select id from movies where %s = any(genres) and vote_count > 100 order by popularity desc, id"
            " limit %s offset %s", (genre, n, offset)).fetchall()
    return [r["id"] for r in rows]


def rate(pool, user_id: str, movie_ids: list[int], rating: float = 5.0) -> None:
    with transaction(pool) as conn:
        for movie_id in movie_ids:
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)"
                         " on conflict (user_id, movie_id) do update set rating = excluded.rating, rated_at = now()",
                         (user_id, movie_id, rating))


def stored_picks(pool, user_id: str) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute(
            "select movie_id, confidence, reason, discovery_source, below_threshold, matcher, generated_at, feedback"
            " from recommendations where user_id = %s order by position nulls last, confidence desc, movie_id",
            (user_id,)).fetchall()


@pytest.fixture
def offline_ctx(pool, db_url):
    return pipeline.build_scout_context(_settings(db_url), pool)


@pytest.fixture
def fake_tmdb():
    return FakeTMDB()


def tmdb_ctx(pool, db_url, fake: FakeTMDB, matcher=None, **settings) -> pipeline.ScoutContext:
    store = MovieStore(pool, fake.client(usage=UsageRecorder(pool), max_retries=1), ttl=timedelta(days=7))
    local = LocalMatcher()
    return pipeline.ScoutContext(pool=pool, settings=_settings(db_url, **settings), store=store,
                              matcher=matcher or local, local=local)


def test_scout_stores_picks_with_reasons_and_never_a_rated_film(pool, local_user, offline_ctx):
    rated = popular_ids(pool, 6)
    rate(pool, local_user, rated)
    result = pipeline.scout_user(offline_ctx, local_user)
    picks = stored_picks(pool, local_user)
    assert result.picks + result.below_threshold == len(picks) >= offline_ctx.settings.min_picks
    assert not {p["movie_id"] for p in picks} & set(rated)
    for pick in picks:
        assert 0 <= pick["confidence"] <= 1 and pick["reason"].strip()
        assert pick["discovery_source"] in VALID_SOURCES
        assert pick["below_threshold"] == (float(pick["confidence"]) < offline_ctx.settings.pick_threshold)
    assert {p["discovery_source"] for p in picks} & {"similar_to_rated", "mood_match"}


def test_unchanged_second_scout_reuses_stored_picks(pool, local_user, offline_ctx):
    rate(pool, local_user, popular_ids(pool, 5))
    first = pipeline.scout_user(offline_ctx, local_user)
    before = stored_picks(pool, local_user)
    second = pipeline.scout_user(offline_ctx, local_user)
    assert not first.reused and second.reused and not second.llm_called
    assert stored_picks(pool, local_user) == before


def test_manual_refresh_with_nothing_changed_still_delivers_a_new_set(pool, local_user, offline_ctx):
    rate(pool, local_user, popular_ids(pool, 5))
    pipeline.scout_user(offline_ctx, local_user)
    shown = [p["movie_id"] for p in stored_picks(pool, local_user)][:12]  # the dashboard's order
    result = pipeline.scout_user(offline_ctx, local_user, quick=True, manual=True)
    after = [p["movie_id"] for p in stored_picks(pool, local_user)][:12]
    assert not result.reused and len(after) == 12
    assert not set(after) & set(shown), "the picks on screen made room for the next best"


def test_quick_refresh_rescores_without_trending_and_reflects_the_new_rating(pool, local_user, db_url, fake_tmdb):
    ctx = tmdb_ctx(pool, db_url, fake_tmdb)
    rate(pool, local_user, popular_ids(pool, 5))
    pipeline.scout_user(ctx, local_user)
    before = {p["movie_id"]: p["generated_at"] for p in stored_picks(pool, local_user)}
    trending_calls = fake_tmdb.count("trending")
    newly_rated = popular_ids(pool, 1, genre="Animation")
    rate(pool, local_user, newly_rated)
    result = pipeline.scout_user(ctx, local_user, quick=True)
    after = stored_picks(pool, local_user)
    assert result.quick and not result.reused
    assert fake_tmdb.count("trending") == trending_calls
    assert newly_rated[0] not in {p["movie_id"] for p in after}
    assert all(p["generated_at"] > max(before.values()) for p in after if p["feedback"] is None)


def test_quick_refresh_without_a_previous_scout_runs_a_full_one(pool, local_user, offline_ctx):
    rate(pool, local_user, popular_ids(pool, 4))
    result = pipeline.scout_user(offline_ctx, local_user, quick=True)
    assert not result.quick and result.picks + result.below_threshold > 0


def test_dismissed_and_watched_films_are_never_picked_and_feedback_survives(pool, local_user, offline_ctx):
    rate(pool, local_user, popular_ids(pool, 6))
    pipeline.scout_user(offline_ctx, local_user)
    first, second, third = [p["movie_id"] for p in stored_picks(pool, local_user)[:3]]
    with transaction(pool) as conn:
        conn.execute("update recommendations set feedback = 'not_interested' where user_id = %s and movie_id = %s",
                     (local_user, first))
        conn.execute("update recommendations set feedback = 'up' where user_id = %s and movie_id = %s",
                     (local_user, third))
        conn.execute("insert into watchlist (user_id, movie_id, watched_at) values (%s, %s, now())",
                     (local_user, second))
    rate(pool, local_user, popular_ids(pool, 3, genre="Comedy"), rating=4.5)  # taste moves on
    pipeline.scout_user(offline_ctx, local_user)
    picks = {p["movie_id"]: p for p in stored_picks(pool, local_user)}
    assert picks[first]["feedback"] == "not_interested"  # the dismissal is kept, not re-picked
    assert second not in picks
    assert picks[third]["feedback"] == "up"


class TimidMatcher(LocalMatcher):
    """The local verdicts at a third of their confidence: nothing reaches the threshold."""

    def match(self, *, profile, rated, candidates):
        return [m.__class__(m.movie_id, m.confidence / 3, m.reason, m.score)
                for m in super().match(profile=profile, rated=rated, candidates=candidates)]


def test_too_few_picks_above_threshold_are_topped_up_and_marked(pool, local_user, db_url, offline_ctx):
    timid = TimidMatcher()
    ctx = pipeline.ScoutContext(pool=pool, settings=_settings(db_url, min_picks=5), store=offline_ctx.store,
                             matcher=timid, local=timid)
    rate(pool, local_user, popular_ids(pool, 3))
    result = pipeline.scout_user(ctx, local_user)
    picks = stored_picks(pool, local_user)
    assert result.picks == 0 and result.below_threshold == 5
    assert len(picks) == 5 and all(p["below_threshold"] for p in picks)


@pytest.mark.parametrize("outage", ["down", "rate_limited"])
def test_tmdb_outage_keeps_yesterdays_picks_and_records_errors(pool, local_user, db_url, fake_tmdb, outage):
    ctx = tmdb_ctx(pool, db_url, fake_tmdb)
    rate(pool, local_user, popular_ids(pool, 5))
    pipeline.scout_user(ctx, local_user)
    yesterday = {p["movie_id"] for p in stored_picks(pool, local_user)}
    with transaction(pool) as conn:  # a day later: list caches are stale, films must be re-fetched
        conn.execute("delete from source_cache")
        conn.execute("update movies set fetched_at = now() - interval '30 days' where source = 'tmdb'")
    rate(pool, local_user, popular_ids(pool, 1, genre="Drama"), rating=4.0)
    fake_tmdb.mode = outage
    result = pipeline.scout_user(ctx, local_user)  # must not raise
    assert result.errors
    assert yesterday <= {p["movie_id"] for p in stored_picks(pool, local_user)}
    with pool.connection() as conn:
        failed = conn.execute("select count(*) as n from api_usage where service = 'tmdb' and not ok").fetchone()
        state = conn.execute("select last_error from scout_state where user_id = %s", (local_user,)).fetchone()
    assert failed["n"] > 0 and state["last_error"]


def test_one_llm_call_per_user_and_none_when_nothing_changed(pool, db_url, make_user, fake_tmdb):
    matcher = CountingMatcher()
    ctx = tmdb_ctx(pool, db_url, fake_tmdb, matcher=matcher, llm_top_k=20)
    users = [make_user() for _ in range(3)]
    for i, user in enumerate(users):
        rate(pool, user, popular_ids(pool, 4, offset=i))
    for user in users:
        assert pipeline.scout_user(ctx, user).llm_called
    assert len(matcher.calls) == len(users) and max(matcher.calls) <= 20
    for user in users:
        assert pipeline.scout_user(ctx, user).reused
    assert len(matcher.calls) == len(users)
    assert {p["matcher"] for u in users for p in stored_picks(pool, u)} >= {"claude"}


def test_tmdb_detail_calls_do_not_grow_with_users(pool, db_url, make_user, fake_tmdb):
    ctx = tmdb_ctx(pool, db_url, fake_tmdb)
    rated = popular_ids(pool, 5)
    first, *others = [make_user() for _ in range(4)]
    rate(pool, first, rated)
    pipeline.scout_user(ctx, first)
    after_one = fake_tmdb.count("details")
    for user in others:  # same taste, same trending: everything is in the shared cache
        rate(pool, user, rated)
        pipeline.scout_user(ctx, user)
    assert after_one > 0
    assert fake_tmdb.count("details") == after_one


def test_claude_path_through_the_stub_one_call_per_user_then_none(pool, db_url, make_user, fake_tmdb, anthropic_stub):
    from cine_core.recommend.engine import build_matcher
    from tests.anthropic_stub import stub_sdk_client
    from tests.claude_replies import score_every_candidate

    anthropic_stub.default = score_every_candidate
    local = LocalMatcher()
    settings = _settings(db_url, anthropic_api_key="test-key", anthropic_base_url=anthropic_stub.base_url)
    matcher = build_matcher(settings, pool, local=local, client=stub_sdk_client(anthropic_stub))
    ctx = pipeline.ScoutContext(pool=pool, settings=settings, matcher=matcher, local=local,
                             store=MovieStore(pool, fake_tmdb.client(), ttl=timedelta(days=7)))
    users = [make_user() for _ in range(3)]
    for i, user in enumerate(users):
        rate(pool, user, popular_ids(pool, 4, offset=2 * i))
        pipeline.scout_user(ctx, user)
    assert len(anthropic_stub.requests) == len(users)
    for user in users:
        pipeline.scout_user(ctx, user)
    assert len(anthropic_stub.requests) == len(users)  # nothing changed: no call
    picks = [p for u in users for p in stored_picks(pool, u)]
    assert any(p["matcher"] == "claude" and p["reason"].startswith("Fits your taste") for p in picks)
    with pool.connection() as conn:
        calls = conn.execute("select count(*) as n from api_usage where service = 'anthropic'").fetchone()["n"]
    assert calls == len(users)


def test_claude_verdicts_carry_the_local_calibrated_confidence(pool, db_url, local_user, fake_tmdb, anthropic_stub):
    from cine_core.recommend.engine import build_matcher
    from tests.anthropic_stub import stub_sdk_client
    from tests.claude_replies import score_every_candidate

    anthropic_stub.default = score_every_candidate  # self-reported 0.55-0.99, most over the 0.7 line
    local = LocalMatcher()
    settings = _settings(db_url, anthropic_api_key="test-key", anthropic_base_url=anthropic_stub.base_url)
    matcher = build_matcher(settings, pool, local=local, client=stub_sdk_client(anthropic_stub))
    ctx = pipeline.ScoutContext(pool=pool, settings=settings, matcher=matcher, local=local,
                                store=MovieStore(pool, fake_tmdb.client(), ttl=timedelta(days=7)))
    rate(pool, local_user, popular_ids(pool, 4))
    pipeline.scout_user(ctx, local_user)
    claude = [p for p in stored_picks(pool, local_user) if p["matcher"] == "claude"]
    assert claude
    reported = {round(0.55 + (p["movie_id"] * 7919 % 45) / 100, 2) for p in claude}
    stored = sorted((float(p["confidence"]) for p in claude), reverse=True)
    assert stored != sorted(reported, reverse=True)[:len(stored)]  # not Claude's own numbers
    with transaction(pool) as conn:
        state = conn.execute("select candidate_ids, candidate_sources from scout_state where user_id = %s",
                             (local_user,)).fetchone()
    from cine_core.domain.models import Candidate, DiscoverySource
    from cine_core.taste.store import build_profile, load_rated

    with transaction(pool) as conn:
        rated = load_rated(conn, local_user)
    films = ctx.store.get(state["candidate_ids"])
    candidates = [Candidate(films[i], DiscoverySource(s)) for i, s in
                  zip(state["candidate_ids"], state["candidate_sources"], strict=True) if i in films]
    local_scale = {round(m.confidence, 2) for m in pipeline.rank_locally(ctx, build_profile(rated), rated, candidates)}
    assert set(stored) <= local_scale
