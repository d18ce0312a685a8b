"""Scheduled verdicts through the Message Batches API (stub): local picks at once, Claude's when the batch ends."""

from __future__ import annotations

import json
import re

import pytest

from cine_core.db import transaction
from cine_core.llm.batches import BatchClient
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend import pipeline
from cine_core.recommend.claude_scorer import ClaudeMatcher
from cine_core.recommend.engine import FallbackMatcher
from cine_core.recommend.verdict_batches import VerdictBatches
from tests.anthropic_stub import MEASURED, anthropic_stub, stub_sdk_client, tool_use  # noqa: F401
from tests.cine_core.recommend.test_verdict_reuse import forget_last_analysis
from tests.cine_core.test_scout import popular_ids, rate, stored_picks, tmdb_ctx
from tests.fake_tmdb import FakeTMDB

MODEL = "claude-haiku-5-5"
TOP_K = 10


def asked_ids(params: dict) -> list[int]:
    turn = params["messages"][0]["content"]
    return [c["movie_id"] for c in json.loads(re.search(r"<candidates>(.*)</candidates>", turn, re.DOTALL).group(1))]


def verdicts_for_all(request: dict):
    """Claude's verdicts on every film it was asked about, citing a rated film (the stub's measured tokens)."""
    title = json.loads(re.search(r"<rated_films>(.*?)</rated_films>", request["messages"][0]["content"],
                                 re.DOTALL).group(1))[0]["title"]
    return tool_use({"matches": [{"movie_id": i, "confidence": round(0.3 + 0.06 * n, 2),
                                  "reason": f"Like {title}, which you rated 5★." if 0.3 + 0.06 * n >= 0.7 else ""}
                                 for n, i in enumerate(asked_ids(request))]}, usage=MEASURED)(request)


@pytest.fixture
def world(pool, db_url, local_user, anthropic_stub):
    sdk = stub_sdk_client(anthropic_stub)
    llm = ClaudeClient(sdk, model=MODEL, usage=UsageRecorder(pool))
    ctx = tmdb_ctx(pool, db_url, FakeTMDB(), llm_top_k=TOP_K, cine_claude_model=MODEL)
    batches = VerdictBatches(pool, BatchClient(llm, sdk), seed=5)
    ctx = pipeline.ScoutContext(**{**{f: getattr(ctx, f) for f in ctx.__dataclass_fields__},
                                   "matcher": FallbackMatcher(ClaudeMatcher(llm), ctx.local), "batches": batches})
    anthropic_stub.default = verdicts_for_all
    rate(pool, local_user, popular_ids(pool, 4))
    with transaction(pool) as conn:  # the ratings' own refresh jobs: not what these tests look at
        conn.execute("delete from recommendation_refresh_queue")
    yield ctx, batches, anthropic_stub
    sdk.close()


def rows(pool, query: str, *args) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute(query, args).fetchall()


def queued_jobs(pool, user_id: str) -> list[str]:
    return [r["trigger_type"] for r in rows(pool, "select trigger_type from recommendation_refresh_queue"
                                                  " where user_id = %s and status = 'pending'", user_id)]


def test_a_scheduled_pass_writes_local_picks_at_once_and_queues_one_request_for_the_batch(pool, local_user, world):
    ctx, batches, stub = world
    result = pipeline.scout_user(ctx, local_user)
    assert result.batched and not result.llm_called
    picks = stored_picks(pool, local_user)
    assert picks and {p["matcher"] for p in picks} == {"local"}
    assert stub.requests == [] and stub.batches.created == []  # nothing sent yet: the pass's batch goes at its end
    assert not pipeline.scout_user(ctx, local_user).batched  # one open request per person
    [batch_id] = batches.submit_pending()
    [batch] = stub.batches.created
    assert batch.id == batch_id and len(batch.requests) == 1
    params = batch.requests[0]["params"]
    assert len(asked_ids(params)) == TOP_K and params["tool_choice"] == {"type": "tool", "name": "score_candidates"}
    assert batches.submit_pending() == []
    [row] = rows(pool, "select status, user_ids::text[] as users, applied_at from llm_batches")
    assert row == {"status": "in_progress", "users": [local_user], "applied_at": None}


def test_results_are_validated_stored_and_rewrite_the_picks_at_the_batch_price(pool, local_user, world):
    ctx, batches, stub = world
    pipeline.scout_user(ctx, local_user)
    batches.submit_pending()
    stub.batches.hold = True
    assert batches.poll() == 0 and queued_jobs(pool, local_user) == []  # still in progress: nothing applied
    stub.batches.hold = False
    assert batches.poll() == 1
    assert queued_jobs(pool, local_user) == ["scheduled"]
    assert len(rows(pool, "select 1 from llm_verdicts where user_id = %s", local_user)) == TOP_K
    [usage] = rows(pool, "select ok, tokens_in, tokens_out, estimated_cost_usd::float8 as usd from api_usage"
                         " where service = 'anthropic'")
    full_price = (usage["tokens_in"] * 1.0 + usage["tokens_out"] * 5.0) / 1e6  # claude-haiku-5-5 list prices
    assert usage["ok"] and usage["tokens_in"] > 1000 and usage["usd"] == pytest.approx(full_price / 2, abs=2e-6)
    refreshed = pipeline.scout_user(ctx, local_user, quick=True)  # the queued job: the quick refresh
    assert not refreshed.llm_called and stub.requests == []
    picks = stored_picks(pool, local_user)
    assert any(p["matcher"] == "claude" and "which you rated 5★" in p["reason"] for p in picks)
    assert all(p["reason"] for p in picks)  # films Claude gave no reason keep the local one
    forget_last_analysis(pool, local_user)
    nothing_new = pipeline.scout_user(ctx, local_user)  # a pass with nothing new asks nobody
    assert not nothing_new.batched and not nothing_new.llm_called and len(stub.batches.created) == 1


@pytest.mark.parametrize("outcome", ["errored", "expired", "canceled"])
def test_a_batch_that_errors_or_expires_falls_back_to_local_picks(pool, local_user, world, outcome):
    ctx, batches, stub = world
    pipeline.scout_user(ctx, local_user)
    before = stored_picks(pool, local_user)
    batches.submit_pending()
    stub.batches.outcome = outcome
    assert batches.poll() == 0
    assert stored_picks(pool, local_user) == before and {p["matcher"] for p in before} == {"local"}
    assert rows(pool, "select 1 from llm_verdicts") == [] and queued_jobs(pool, local_user) == []
    [batch] = rows(pool, "select request_counts, applied_at from llm_batches")
    assert batch["request_counts"] == {outcome: 1} and batch["applied_at"] is not None
    [usage] = rows(pool, "select ok, tokens_in, error from api_usage where service = 'anthropic'")
    assert not usage["ok"] and usage["tokens_in"] == 0 and outcome in usage["error"]
    assert pipeline.scout_user(ctx, local_user).batched  # a later pass asks again


def test_an_invalid_result_is_a_fallback_and_its_usage_is_still_recorded(pool, local_user, world):
    ctx, batches, stub = world
    pipeline.scout_user(ctx, local_user)
    stub.default = tool_use({"matches": [{"movie_id": 1, "confidence": 0.9, "reason": "not a candidate"}]},
                            usage=MEASURED)
    batches.submit_pending()
    assert batches.poll() == 0
    assert rows(pool, "select 1 from llm_verdicts") == [] and queued_jobs(pool, local_user) == []
    [usage] = rows(pool, "select ok, tokens_in from api_usage where service = 'anthropic'")
    assert not usage["ok"] and usage["tokens_in"] > 1000


def test_verdicts_for_a_taste_that_changed_meanwhile_are_dropped(pool, local_user, world):
    ctx, batches, _ = world
    pipeline.scout_user(ctx, local_user)
    batches.submit_pending()
    rate(pool, local_user, popular_ids(pool, 1, genre="Drama", offset=40), rating=5.0)  # a new loved film
    assert batches.poll() == 0
    assert rows(pool, "select 1 from llm_verdicts") == []


def test_one_new_film_sends_exactly_that_film_in_the_next_batch(pool, local_user, world):
    ctx, batches, stub = world
    pipeline.scout_user(ctx, local_user)
    batches.submit_pending()
    batches.poll()
    first = asked_ids(stub.batches.params_sent()[0])
    with transaction(pool) as conn:  # as if first[0] had just entered the shortlist
        conn.execute("delete from llm_verdicts where user_id = %s and movie_id = %s", (local_user, first[0]))
    forget_last_analysis(pool, local_user)
    assert pipeline.scout_user(ctx, local_user).batched
    batches.submit_pending()
    assert asked_ids(stub.batches.params_sent()[1]) == [first[0]]


def test_the_budget_cap_queues_nothing(pool, db_url, local_user, world):
    ctx, batches, stub = world
    capped = pipeline.ScoutContext(**{**{f: getattr(ctx, f) for f in ctx.__dataclass_fields__},
                                      "settings": ctx.settings.model_copy(update={"cine_llm_daily_budget_usd": 0.0})})
    result = pipeline.scout_user(capped, local_user)
    assert not result.batched and batches.submit_pending() == [] and stub.batches.created == []
    assert {p["matcher"] for p in stored_picks(pool, local_user)} == {"local"}
