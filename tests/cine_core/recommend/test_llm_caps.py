"""Daily caps on Claude: past the installation's budget or a person's call cap, the local engine answers."""

from __future__ import annotations

import pytest

from cine_core.db import transaction
from cine_core.recommend import pipeline
from tests.cine_core.recommend.test_verdict_reuse import RecordingMatcher
from tests.cine_core.test_scout import popular_ids, rate, stored_picks, tmdb_ctx
from tests.fake_tmdb import FakeTMDB


def spent_today(pool, user_id: str, usd: float, *, yesterday: bool = False) -> None:
    with transaction(pool) as conn:
        conn.execute("insert into api_usage (at, service, operation, user_id, estimated_cost_usd)"
                     " values (now() - make_interval(days => %s), 'anthropic', 'match_candidates', %s, %s)",
                     (1 if yesterday else 0, user_id, usd))


def scout(pool, db_url, user_id: str, **settings) -> tuple[RecordingMatcher, pipeline.ScoutResult]:
    matcher = RecordingMatcher()
    ctx = tmdb_ctx(pool, db_url, FakeTMDB(), matcher=matcher, llm_top_k=10, **settings)
    rate(pool, user_id, popular_ids(pool, 4))
    return matcher, pipeline.scout_user(ctx, user_id)


def last_error(pool, user_id: str) -> str | None:
    with pool.connection() as conn:
        return conn.execute("select last_error from scout_state where user_id = %s", (user_id,)).fetchone()["last_error"]


@pytest.mark.parametrize("budget, called", [(0.40, False), (1.00, True)])
def test_the_daily_budget_switches_to_the_local_engine(pool, db_url, local_user, make_user, budget, called):
    spent_today(pool, make_user(), 0.50)  # someone else's calls count against the installation's budget
    spent_today(pool, local_user, 5.00, yesterday=True)  # yesterday's do not
    matcher, result = scout(pool, db_url, local_user, cine_llm_daily_budget_usd=budget)
    assert result.llm_called is called and bool(matcher.sent) is called
    picks = stored_picks(pool, local_user)
    assert picks and ({p["matcher"] for p in picks} == {"local"}) is not called
    assert ("budget" in (last_error(pool, local_user) or "")) is not called


def test_the_per_person_call_cap_switches_only_that_person_to_the_local_engine(pool, db_url, local_user, make_user):
    other = make_user()
    spent_today(pool, local_user, 0.001)
    matcher, result = scout(pool, db_url, local_user, cine_llm_user_daily_calls=1)
    assert not result.llm_called and not matcher.sent
    assert "cap of 1 calls" in last_error(pool, local_user)
    matcher, result = scout(pool, db_url, other, cine_llm_user_daily_calls=1)
    assert result.llm_called and matcher.sent


def test_without_caps_claude_is_asked(pool, db_url, local_user):
    spent_today(pool, local_user, 1000.0)
    _, result = scout(pool, db_url, local_user)
    assert result.llm_called
