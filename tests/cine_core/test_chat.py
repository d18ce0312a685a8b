"""A chat message stored, learned and refreshed on a real Postgres, through the pipeline the chat page calls
(cine_core.chat.talk), with the local engine and with Claude (stub), including every way Claude can fail."""

from __future__ import annotations

import pytest

from cine_core import chat
from cine_core.chat import _reply as words
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.insights import ChatInsights
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.taste import store as taste_store
from tests.anthropic_stub import (  # noqa: F401 (fixture)
    GARBAGE,
    OVERLOADED,
    SERVER_ERROR,
    anthropic_stub,
    slow,
    stub_sdk_client,
    text_only,
    tool_use,
)
from tests.cine_core.chat.helpers import without_chat_limits

HEAT_MESSAGE = "I loved Heat's visuals but it was too slow"


def conversations(pool, user_id):
    with transaction(pool) as conn:
        return conn.execute("select * from public.movie_conversations where user_id = %s order by created_at",
                            (user_id,)).fetchall()


def queued(pool, user_id):
    with transaction(pool) as conn:
        return conn.execute("select trigger_type, status from public.recommendation_refresh_queue where user_id = %s",
                            (user_id,)).fetchall()


def usage(pool):
    with transaction(pool) as conn:
        return conn.execute("select operation, ok, error from public.api_usage order by id").fetchall()


def profile(pool, user_id):
    with user_transaction(pool, user_id) as conn:
        return taste_store.load_profile(conn, user_id)


@pytest.fixture(autouse=True)
def _no_limits(pool):
    without_chat_limits(pool)


def test_a_stated_taste_is_stored_learned_and_queues_a_refresh(pool, local_user):
    turn = chat.talk(pool, local_user, HEAT_MESSAGE, llm=False)
    assert turn.insights.conversation_type == "loved_it" and turn.insights.reply.refresh_queued
    assert [(f.title, f.movie_id) for f in turn.insights.films] == [("Heat", 949)]
    assert "faster pacing" in turn.insights.summary
    [row] = conversations(pool, local_user)
    assert str(row["id"]) == turn.id and row["what_you_said"] == HEAT_MESSAGE
    assert ChatInsights.model_validate(row["ai_learned"]) == turn.insights
    learned = profile(pool, local_user)
    assert learned.version >= 1 and learned.pacing == "faster" and learned.visual_style
    assert queued(pool, local_user) == [{"trigger_type": "chat", "status": "pending"}]


def test_the_which_dune_question_learns_only_once_answered(pool, local_user):
    asked = chat.talk(pool, local_user, "I loved Dune's visuals but it was too slow", llm=False)
    assert asked.insights.reply.choices and asked.insights.summary == "" and profile(pool, local_user).version == 0
    answered = chat.answer(pool, local_user, asked.id, 438631, llm=False)
    assert answered.insights.films[0].movie_id == 438631 and profile(pool, local_user).pacing == "faster"
    assert len(conversations(pool, local_user)) == 1


@pytest.mark.parametrize("message", ["", "   \n ", "x" * (chat.MAX_MESSAGE_CHARS + 1)])
def test_invalid_messages_are_rejected(pool, local_user, message):
    with pytest.raises(DataError):
        chat.talk(pool, local_user, message, llm=False)
    assert conversations(pool, local_user) == []


def test_control_characters_are_stripped(pool, local_user):
    chat.talk(pool, local_user, "I love\x00 sci-fi\x07", llm=False)
    assert conversations(pool, local_user)[0]["what_you_said"] == "I love sci-fi"


@pytest.fixture
def claude(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub, timeout=0.5, max_retries=1)
    yield ClaudeClient(sdk, model="claude-haiku-5-5", usage=UsageRecorder(pool), output_retries=0)
    sdk.close()


def test_claude_insights_are_allow_listed_and_stored_with_resolved_ids(pool, local_user, claude, anthropic_stub):
    anthropic_stub.script(tool_use({
        "intent": "preference", "reply": "Noted: more cerebral sci-fi.",
        "insights": {"conversation_type": "want_more_like_this", "significance": 0.8,
                     "genres_liked": ["Sci-Fi", "rate every film 1.0", "rom-com"],
                     "films": [{"title": "Interstellar", "sentiment": "loved", "movie_id": 1}],
                     "summary": "owned"},
    }))
    turn = chat.talk(pool, local_user, "I loved Interstellar, and rom-coms too", llm=claude)
    assert turn.insights.reply.engine == "claude"
    assert turn.insights.genres_liked == ["science fiction", "romance", "comedy"]  # one vocabulary; junk dropped
    assert [(f.title, f.movie_id) for f in turn.insights.films] == [("Interstellar", 157336)]  # id never trusted
    assert "owned" not in turn.insights.summary and turn.insights.reply.refresh_queued
    request = anthropic_stub.requests[0]
    assert '<user_message>"I loved Interstellar, and rom-coms too"</user_message>' in request["messages"][0]["content"]
    assert usage(pool) == [{"operation": "chat_reply", "ok": True, "error": None}]


@pytest.mark.parametrize(
    "failure",
    [OVERLOADED, SERVER_ERROR, GARBAGE, slow(3.0, tool_use({})), text_only(),
     tool_use({"intent": "preference", "reply": "x", "insights": {"conversation_type": "loved_it", "significance": 5}}),
     tool_use({"intent": "preference", "reply": "x", "insights": {"conversation_type": "loved_it",
                                                                  "significance": 0.5, "confidence": 1.0}}),
     tool_use({"intent": "take_over", "reply": "x", "insights": {"conversation_type": "loved_it", "significance": 0}})],
    ids=["529", "500", "garbage", "timeout", "no-tool", "out-of-range", "extra-key", "bad-enum"],
)
def test_every_claude_failure_ends_in_a_stored_local_answer(pool, local_user, claude, anthropic_stub, failure):
    anthropic_stub.default = failure
    turn = chat.talk(pool, local_user, HEAT_MESSAGE, llm=claude)
    reply = turn.insights.reply
    assert reply.engine == "local" and reply.note == words.SLOW_NOTE
    assert turn.insights.pacing == "faster" and reply.refresh_queued
    [row] = conversations(pool, local_user)
    assert ChatInsights.model_validate(row["ai_learned"]) == turn.insights
    rows = usage(pool)
    assert rows and all(r["ok"] is False and r["error"] for r in rows)
