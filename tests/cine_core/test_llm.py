"""The Claude wrapper against a local Messages API stub, through the real anthropic SDK."""

from __future__ import annotations

import logging

import pytest

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.errors import (
    ConfigError,
    LLMAuthError,
    LLMError,
    LLMOutputInvalid,
    LLMRateLimited,
    LLMUnavailable,
)
from cine_core.domain.insights import ChatInsights
from cine_core.llm.client import ClaudeClient, ToolSpec, build_anthropic_client
from cine_core.llm.prices import DEFAULT_PRICE, MODEL_PRICES, estimate_cost, price_for
from cine_core.metering.usage import UsageRecorder
from tests.anthropic_stub import (  # noqa: F401 (fixture)
    GARBAGE,
    OVERLOADED,
    RATE_LIMITED,
    SERVER_ERROR,
    UNAUTHORIZED,
    anthropic_stub,
    slow,
    stub_sdk_client,
    text_only,
    tool_use,
)

TOOL = ToolSpec(name="record_insights", description="What the message teaches.", output_model=ChatInsights)
VALID = {"conversation_type": "general_preference", "genres_liked": ["drama"], "significance": 0.4, "summary": "likes drama"}


@pytest.fixture
def claude(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub, timeout=2.0, max_retries=1)
    yield ClaudeClient(sdk, model="claude-haiku-5-5", usage=UsageRecorder(pool))
    sdk.close()


def call(claude, user_id=None):
    return claude.call_tool(
        operation="extract_insights", tool=TOOL, system="secret system prompt",
        messages=[{"role": "user", "content": "the whole user prompt"}], max_tokens=500, user_id=user_id,
    )


def usage_rows(pool):
    with transaction(pool) as conn:
        return conn.execute("select * from public.api_usage order by id").fetchall()


def test_prices_live_in_one_table_with_cache_rates():
    haiku = MODEL_PRICES["claude-haiku-5-5"]
    assert haiku.cache_read < haiku.input < haiku.cache_write < haiku.output
    assert estimate_cost("claude-haiku-5-5", tokens_in=1_000_000) == pytest.approx(haiku.input)
    assert estimate_cost("claude-haiku-5-5", cache_read_tokens=1_000_000) == pytest.approx(haiku.cache_read)
    assert price_for("claude-haiku-4-5-20251001") == MODEL_PRICES["claude-haiku-4-5"]
    assert price_for("some-future-model") == DEFAULT_PRICE


def test_client_needs_a_key():
    with pytest.raises(ConfigError):
        build_anthropic_client(Settings(_env_file=None))


def test_valid_tool_call_is_validated_and_recorded(claude, anthropic_stub, pool, local_user):
    anthropic_stub.script(tool_use(VALID))
    out = call(claude, local_user)
    assert isinstance(out, ChatInsights) and out.genres_liked == ["drama"]

    request = anthropic_stub.requests[0]
    assert request["_path"] == "/v1/messages"
    assert request["model"] == "claude-haiku-5-5"
    assert request["tool_choice"] == {"type": "tool", "name": "record_insights"}
    tool = request["tools"][0]
    assert tool["strict"] is True and tool["input_schema"]["additionalProperties"] is False
    assert "test-key" in anthropic_stub.headers[0].get("authorization", "") + anthropic_stub.headers[0].get("x-api-key", "")

    [row] = usage_rows(pool)
    assert row["service"] == "anthropic" and row["operation"] == "extract_insights" and row["ok"]
    assert (row["tokens_in"], row["tokens_out"], row["cache_write_tokens"]) == (1200, 150, 800)
    assert float(row["estimated_cost_usd"]) == pytest.approx(
        estimate_cost("claude-haiku-5-5", tokens_in=1200, tokens_out=150, cache_write_tokens=800), abs=1e-6)
    assert str(row["user_id"]) == local_user


def test_overloaded_is_retried_by_the_sdk(claude, anthropic_stub):
    anthropic_stub.script(OVERLOADED, tool_use(VALID))
    assert call(claude).significance == 0.4
    assert len(anthropic_stub.requests) == 2


@pytest.mark.parametrize(
    ("reply", "error", "attempts"),
    [(OVERLOADED, LLMUnavailable, 2), (SERVER_ERROR, LLMUnavailable, 2), (RATE_LIMITED, LLMRateLimited, 2),
     (UNAUTHORIZED, LLMAuthError, 1)],
)
def test_api_errors_end_in_typed_errors_after_bounded_retries(claude, anthropic_stub, pool, reply, error, attempts):
    anthropic_stub.default = reply
    with pytest.raises(error):
        call(claude)
    assert len(anthropic_stub.requests) == attempts  # max_retries=1
    [row] = usage_rows(pool)
    assert row["ok"] is False and row["error"]


def test_timeout_is_an_llm_error(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub, timeout=0.2, max_retries=0)
    try:
        client = ClaudeClient(sdk, model="claude-haiku-5-5", usage=UsageRecorder(pool))
        anthropic_stub.script(slow(3.0, tool_use(VALID)))
        with pytest.raises(LLMUnavailable, match="timed out"):
            call(client)
    finally:
        sdk.close()
    assert [r["ok"] for r in usage_rows(pool)] == [False]


def test_garbage_body_is_an_llm_error(claude, anthropic_stub):
    anthropic_stub.default = GARBAGE
    with pytest.raises(LLMError):
        call(claude)


@pytest.mark.parametrize(
    "bad_reply",
    [tool_use({**VALID, "significance": 5}), tool_use({**VALID, "rate_all": 1.0}), tool_use("not an object"),
     text_only(), tool_use(VALID, name="other_tool")],
)
def test_invalid_output_is_reasked_once_then_rejected(claude, anthropic_stub, pool, bad_reply):
    anthropic_stub.default = bad_reply
    with pytest.raises(LLMOutputInvalid):
        call(claude)
    assert len(anthropic_stub.requests) == 2
    rows = usage_rows(pool)
    assert [r["ok"] for r in rows] == [False, False]


def test_invalid_then_valid_output_succeeds(claude, anthropic_stub):
    anthropic_stub.script(tool_use({**VALID, "extra": 1}), tool_use(VALID))
    assert call(claude).summary == "likes drama"


def test_keys_and_prompts_never_reach_the_logs(claude, anthropic_stub, caplog):
    caplog.set_level(logging.DEBUG)
    anthropic_stub.default = OVERLOADED
    with pytest.raises(LLMError):
        call(claude)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "test-key" not in text
    assert "the whole user prompt" not in text and "secret system prompt" not in text
