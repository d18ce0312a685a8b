"""BatchClient against the stub's Message Batches API: tokens as billed, half price, the synchronous validation."""

from __future__ import annotations

import pytest

from cine_core.domain.errors import LLMError
from cine_core.llm.batches import INVALID, SUCCEEDED, BatchClient
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend.claude_scorer import TOOL, MatchVerdicts
from tests.anthropic_stub import MEASURED, anthropic_stub, stub_sdk_client, tool_use  # noqa: F401

MODEL = "claude-haiku-5-5"
MESSAGES = [{"role": "user", "content": "<candidates>[{\"movie_id\": 27205, \"title\": \"Inception\"}]</candidates>"}]
SYSTEM = [{"type": "text", "text": "Score every candidate."}]


@pytest.fixture
def clients(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub)
    llm = ClaudeClient(sdk, model=MODEL, usage=UsageRecorder(pool))
    yield llm, BatchClient(llm, sdk)
    sdk.close()


def params() -> dict:
    return {"model": MODEL, "max_tokens": 300, "system": SYSTEM, "messages": MESSAGES, "tools": [TOOL.to_param()],
            "tool_choice": {"type": "tool", "name": TOOL.name}}


def usage_rows(pool) -> list[dict]:
    with pool.connection() as conn:
        return conn.execute("select ok, tokens_in, tokens_out, estimated_cost_usd::float8 as usd from api_usage"
                            " where service = 'anthropic' order by id").fetchall()


def test_a_batched_request_is_billed_the_same_tokens_at_half_the_price(anthropic_stub, clients, pool):
    llm, batches = clients
    anthropic_stub.default = tool_use({"matches": [{"movie_id": 27205, "confidence": 0.8, "reason": ""}]},
                                      usage=MEASURED)
    llm.call_tool(operation="op", tool=TOOL, system=SYSTEM, messages=MESSAGES, max_tokens=300)
    batch = batches.submit([("req-1", params())])
    assert not batch.ended and batches.status(batch.id).ended
    [result] = batches.results(batch.id, operation="op", tool=TOOL, users={"req-1": None}, checks={})
    assert result.outcome == SUCCEEDED and isinstance(result.output, MatchVerdicts)
    sync, batched = usage_rows(pool)
    assert (batched["tokens_in"], batched["tokens_out"]) == (sync["tokens_in"], sync["tokens_out"])
    assert batched["tokens_in"] > 313 and batched["usd"] == pytest.approx(sync["usd"] / 2, abs=1e-6)


@pytest.mark.parametrize("reply", [
    {"matches": [{"movie_id": 27205, "confidence": 1.5, "reason": ""}]},  # confidence outside [0, 1]
    {"matches": [{"movie_id": "27205", "confidence": 0.5, "reason": ""}]},  # an id that is not a number
    {"films": []},  # not the schema
])
def test_results_are_validated_like_a_synchronous_call(anthropic_stub, clients, pool, reply):
    _, batches = clients
    anthropic_stub.default = tool_use(reply, usage=MEASURED)
    batch = batches.submit([("req-1", params())])
    [result] = batches.results(batch.id, operation="op", tool=TOOL, users={"req-1": None}, checks={})
    assert result.outcome == INVALID and result.output is None
    [row] = usage_rows(pool)
    assert not row["ok"] and row["tokens_in"] > 0  # paid for, so recorded


def test_the_callers_check_rejects_films_that_were_not_asked_about(anthropic_stub, clients):
    _, batches = clients
    anthropic_stub.default = tool_use({"matches": [{"movie_id": 1, "confidence": 0.5, "reason": ""}]})

    def only_inception(output: MatchVerdicts) -> None:
        from cine_core.recommend.claude_scorer import check_ids

        check_ids(output, [27205])

    batch = batches.submit([("req-1", params())])
    [result] = batches.results(batch.id, operation="op", tool=TOOL, users={"req-1": None},
                               checks={"req-1": only_inception})
    assert result.outcome == INVALID and "not candidates" in result.error


def test_an_unknown_batch_is_an_llm_error(clients):
    _, batches = clients
    with pytest.raises(LLMError):
        batches.status("msgbatch_nobody")
