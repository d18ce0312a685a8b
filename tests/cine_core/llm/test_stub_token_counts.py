"""The Messages API stub counts tokens from the real request and reply (usage=MEASURED), through the SDK."""

from __future__ import annotations

import json

from cine_core.llm.client import ClaudeClient
from cine_core.recommend.claude_scorer import TOOL, MatchVerdicts
from tests.anthropic_stub import (
    CHARS_PER_TOKEN,
    MEASURED,
    TOOL_USE_SYSTEM_TOKENS,
    anthropic_stub,  # noqa: F401 (fixture)
    count_input_tokens,
    stub_sdk_client,
    tool_use,
)


def test_input_counts_system_tool_schema_and_messages():
    bare = {"system": [{"type": "text", "text": "x" * 400}], "messages": [{"role": "user", "content": "y" * 400}]}
    with_tool = {**bare, "tools": [TOOL.to_param()], "tool_choice": {"type": "tool", "name": TOOL.name}}
    assert 200 <= count_input_tokens(bare) <= 200 + 30
    schema_tokens = len(json.dumps([TOOL.to_param()])) / CHARS_PER_TOKEN
    extra = count_input_tokens(with_tool) - count_input_tokens(bare)
    assert extra >= TOOL_USE_SYSTEM_TOKENS + 0.8 * schema_tokens


def test_recorded_usage_is_measured_from_request_and_reply(anthropic_stub, pool, local_user):
    from cine_core.metering.usage import UsageRecorder

    verdicts = {"matches": [{"movie_id": i, "confidence": 0.5, "reason": "r" * 120} for i in range(10)]}
    anthropic_stub.script(tool_use(verdicts, usage=MEASURED), tool_use({"matches": verdicts["matches"][:1]},
                                                                        usage=MEASURED))
    sdk = stub_sdk_client(anthropic_stub)
    llm = ClaudeClient(sdk, model="claude-haiku-5-5", usage=UsageRecorder(pool))
    for words in (10, 1000):
        out = llm.call_tool(operation="t", tool=TOOL, system="s " * words, max_tokens=100,
                            messages=[{"role": "user", "content": "go"}], user_id=local_user)
        assert isinstance(out, MatchVerdicts)
    sdk.close()
    with pool.connection() as conn:
        rows = conn.execute("select tokens_in, tokens_out from api_usage order by id").fetchall()
    assert rows[1]["tokens_in"] - rows[0]["tokens_in"] == (1000 - 10) * 2 / CHARS_PER_TOKEN  # "s " per word
    assert rows[0]["tokens_out"] > 10 * 120 / CHARS_PER_TOKEN > rows[1]["tokens_out"]
    assert rows[0]["tokens_in"] > TOOL_USE_SYSTEM_TOKENS
