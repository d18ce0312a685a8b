"""Every Claude request passes the daily caps (llm/budget.py): chat, the scout's matcher, extraction and
batches alike. Past a cap nothing reaches the Messages API stub and the local engine answers."""

from __future__ import annotations

import pytest

from cine_core import chat
from cine_core.config import get_settings
from cine_core.db import transaction
from cine_core.llm.batches import BatchClient
from cine_core.llm.budget import LLMCapReached
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend.claude_scorer import TOOL
from tests.anthropic_stub import MEASURED, anthropic_stub, stub_sdk_client, stub_settings, tool_use  # noqa: F401
from tests.cine_core.chat.helpers import rate_twenty, without_chat_limits

MESSAGES = [{"role": "user", "content": "<candidates>[]</candidates>"}]
VERDICTS = tool_use({"matches": [{"movie_id": 27205, "confidence": 0.8, "reason": ""}]}, usage=MEASURED)


def spent_today(pool, user_id: str | None, usd: float, *, operation: str = "match_candidates", calls: int = 1) -> None:
    with transaction(pool) as conn:
        for _ in range(calls):
            conn.execute("insert into api_usage (service, operation, user_id, estimated_cost_usd)"
                         " values ('anthropic', %s, %s, %s)", (operation, user_id, usd / calls))


def usage_count(pool) -> int:
    with transaction(pool) as conn:
        return conn.execute("select count(*) as n from api_usage").fetchone()["n"]


@pytest.fixture
def process_caps(monkeypatch):
    """Set caps in the environment, as an operator does (get_settings() is cached: cleared around the test)."""
    def set_caps(**env: str) -> None:
        for key, value in env.items():
            monkeypatch.setenv(key.upper(), value)
        get_settings.cache_clear()

    yield set_caps
    monkeypatch.delenv("CINE_LLM_DAILY_BUDGET_USD", raising=False)
    monkeypatch.delenv("CINE_LLM_USER_DAILY_CALLS", raising=False)
    get_settings.cache_clear()


def call(llm: ClaudeClient, user_id: str | None, operation: str = "match_candidates"):
    return llm.call_tool(operation=operation, tool=TOOL, system="Score.", messages=MESSAGES, max_tokens=200,
                         user_id=user_id)


def test_past_the_daily_budget_no_chat_message_reaches_claude(pool, local_user, anthropic_stub, process_caps):
    rate_twenty(pool, local_user)
    without_chat_limits(pool)
    spent_today(pool, None, 50.0)
    process_caps(cine_llm_daily_budget_usd="0.01")
    settings = stub_settings(anthropic_stub)
    assert settings.cine_llm_daily_budget_usd == 0.01
    for message in ("Something uplifting please", "I love heist films", "a film like Heat but shorter",
                    "what about Alien?", "more sci-fi"):
        reply = chat.talk(pool, local_user, message, settings=settings).insights.reply
        assert reply.engine == "local"
    assert anthropic_stub.requests == []


@pytest.mark.parametrize("budget, reaches", [(0.01, False), (100.0, True)])
def test_a_client_built_from_settings_checks_the_budget_before_each_request(pool, local_user, anthropic_stub,
                                                                            budget, reaches):
    spent_today(pool, None, 50.0)
    anthropic_stub.default = VERDICTS
    llm = ClaudeClient.from_settings(stub_settings(anthropic_stub, cine_llm_daily_budget_usd=budget), pool)
    before = usage_count(pool)
    if reaches:
        call(llm, local_user)
    else:
        with pytest.raises(LLMCapReached, match=r"budget of \$0\.01"):
            call(llm, local_user)
    assert len(anthropic_stub.requests) == (1 if reaches else 0)
    assert usage_count(pool) == before + (1 if reaches else 0)  # a refused call is not a call


def test_a_client_built_without_caps_gets_the_process_caps(pool, local_user, anthropic_stub, process_caps):
    spent_today(pool, None, 50.0)
    process_caps(cine_llm_daily_budget_usd="0.01")
    llm = ClaudeClient(stub_sdk_client(anthropic_stub), model="claude-haiku-5-5", usage=UsageRecorder(pool))
    with pytest.raises(LLMCapReached):
        call(llm, local_user)
    assert anthropic_stub.requests == []


def test_the_person_cap_counts_every_kind_of_call_and_only_that_person(pool, local_user, make_user, anthropic_stub):
    other = make_user()
    spent_today(pool, local_user, 0.002, operation="chat_reply", calls=2)
    anthropic_stub.default = VERDICTS
    llm = ClaudeClient.from_settings(stub_settings(anthropic_stub, cine_llm_user_daily_calls=2), pool)
    with pytest.raises(LLMCapReached, match="cap of 2 calls"):
        call(llm, local_user)  # two chat replies used this person's two calls: no scout call either
    call(llm, other)
    call(llm, other)
    with pytest.raises(LLMCapReached):
        call(llm, other)
    assert len(anthropic_stub.requests) == 2


def test_a_re_ask_after_invalid_output_passes_the_caps_again(pool, local_user, anthropic_stub):
    anthropic_stub.default = tool_use({"films": []})  # invalid: would be re-asked
    llm = ClaudeClient.from_settings(stub_settings(anthropic_stub, cine_llm_user_daily_calls=1), pool,
                                     output_retries=3)
    with pytest.raises(LLMCapReached):
        call(llm, local_user)
    assert len(anthropic_stub.requests) == 1


def test_no_batch_is_submitted_past_the_budget(pool, anthropic_stub):
    spent_today(pool, None, 50.0)
    sdk = stub_sdk_client(anthropic_stub)
    llm = ClaudeClient.from_settings(stub_settings(anthropic_stub, cine_llm_daily_budget_usd=0.01), pool, client=sdk)
    params = {"model": llm.model, "max_tokens": 200, "system": "Score.", "messages": MESSAGES,
              "tools": [TOOL.to_param()], "tool_choice": {"type": "tool", "name": TOOL.name}}
    with pytest.raises(LLMCapReached):
        BatchClient(llm, sdk).submit([("req-1", params)])
    assert anthropic_stub.batches.created == []
