"""Claude replies outside the schema are invalid: the call falls back to the local engine, and is still
recorded in api_usage (through the real SDK against the Messages API stub)."""

from __future__ import annotations

import pytest

from cine_core import chat
from cine_core.db import transaction
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend.claude_scorer import ClaudeMatcher
from cine_core.recommend.engine import FallbackMatcher
from cine_core.recommend.local_scorer import LocalMatcher
from tests.anthropic_stub import Reply, anthropic_stub, stub_sdk_client, tool_use  # noqa: F401 (fixture)
from tests.cine_core.test_claude_matcher import films, scene, sent_candidates  # noqa: F401 (fixtures)


def _message(request: dict, *, content, usage) -> Reply:
    return Reply(body={"id": "msg_x", "type": "message", "role": "assistant", "model": request.get("model"),
                       "content": content, "stop_reason": "tool_use", "stop_sequence": None, "usage": usage})


def bad_usage(request: dict) -> Reply:
    """A valid tool call whose usage.input_tokens is not a number."""
    reply = tool_use({"matches": []})(request)
    reply.body["usage"] = {"input_tokens": "a lot", "output_tokens": 10}
    return reply


def content_not_a_list(request: dict) -> Reply:
    return _message(request, content=12345, usage={"input_tokens": 50, "output_tokens": 9})


def verdicts(**override):
    def build(request: dict) -> Reply:
        ids = sent_candidates(request)
        matches = [{"movie_id": i, "confidence": 0.6, "reason": "Like Inception, which you rated 5★."} for i in ids]
        matches[0] = {**matches[0], **override}
        return tool_use({"matches": matches})(request)

    return build


def usage_rows(pool) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select operation, ok, error, tokens_in from api_usage where service = 'anthropic'"
                            " order by id").fetchall()


@pytest.fixture
def llm(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub, timeout=2.0, max_retries=0)
    yield ClaudeClient(sdk, model="claude-haiku-5-5", usage=UsageRecorder(pool), output_retries=0)
    sdk.close()


@pytest.mark.parametrize("reply", [
    bad_usage, content_not_a_list,
    verdicts(confidence=7), verdicts(confidence=1e308), verdicts(confidence=-0.1), verdicts(confidence="0.9"),
    verdicts(movie_id=999_999_999), verdicts(movie_id="27205"), verdicts(reason=["not", "text"]),
], ids=["usage-not-a-number", "content-not-a-list", "confidence-7", "confidence-1e308", "confidence-negative",
        "confidence-a-string", "unknown-id", "id-a-string", "reason-a-list"])
def test_an_invalid_matcher_reply_falls_back_to_the_local_engine_and_is_recorded(llm, anthropic_stub, scene, pool,
                                                                                  reply):
    profile, rated, candidates = scene
    anthropic_stub.script(reply)
    matcher = FallbackMatcher(ClaudeMatcher(llm, seed=1), LocalMatcher())
    matches = matcher.match(profile=profile, rated=rated, candidates=candidates)
    assert matcher.last_engine == "local"
    assert matches == LocalMatcher().match(profile=profile, rated=rated, candidates=candidates)
    assert all(0 <= m.confidence <= 1 for m in matches)
    assert [(r["operation"], r["ok"]) for r in usage_rows(pool)] == [("match_candidates", False)]
    assert usage_rows(pool)[0]["error"]


def test_a_valid_reply_still_scores_with_claude(llm, anthropic_stub, scene, pool):
    profile, rated, candidates = scene
    anthropic_stub.script(verdicts(confidence=1))
    matcher = FallbackMatcher(ClaudeMatcher(llm, seed=1), LocalMatcher())
    matcher.match(profile=profile, rated=rated, candidates=candidates)
    assert matcher.last_engine == "claude"
    assert [(r["ok"], r["tokens_in"]) for r in usage_rows(pool)] == [(True, 1200)]


@pytest.mark.parametrize("reply", [bad_usage, content_not_a_list], ids=["usage-not-a-number", "content-not-a-list"])
def test_an_invalid_chat_reply_falls_back_to_the_local_engine_and_is_recorded(llm, anthropic_stub, pool, local_user,
                                                                              reply):
    anthropic_stub.script(reply)
    turn = chat.talk(pool, local_user, "I loved Heat, the shootout is incredible", llm=llm)
    assert turn.insights.reply.engine == "local"
    assert [(f.title, f.sentiment) for f in turn.insights.films] == [("Heat", "loved")]
    assert [(r["operation"], r["ok"]) for r in usage_rows(pool)] == [("chat_reply", False)]
