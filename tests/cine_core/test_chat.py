"""learn_from_conversation end to end on a real Postgres, with the local engine and with Claude (stub)."""

from __future__ import annotations

import pytest

from cine_core.chat.engine import FallbackExtractor, build_extractor
from cine_core.chat.local_extractor import LocalExtractor
from cine_core.chat.service import MAX_MESSAGE_CHARS, learn_from_conversation
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.insights import ChatInsights
from cine_core.taste import store as taste_store
from tests.anthropic_stub import (  # noqa: F401 (fixture)
    GARBAGE,
    OVERLOADED,
    SERVER_ERROR,
    anthropic_stub,
    slow,
    stub_sdk_client,
    stub_settings,
    text_only,
    tool_use,
)

DUNE_MESSAGE = "I loved Dune's visuals but it was too slow"


@pytest.fixture(scope="module")
def local_extractor():
    return LocalExtractor()


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


def test_seed_message_is_stored_learned_and_queues_a_refresh(pool, local_user, local_extractor):
    result = learn_from_conversation(pool, local_user, DUNE_MESSAGE, extractor=local_extractor)

    assert result.conversation_type == "loved_it" and result.refresh_queued
    assert [title for _, title in result.mentioned] == ["Dune"]
    assert "faster pacing" in result.learned
    [row] = conversations(pool, local_user)
    assert str(row["id"]) == result.conversation_id and row["what_you_said"] == DUNE_MESSAGE
    stored = ChatInsights.model_validate(row["ai_learned"])
    assert stored == result.insights and stored.films[0].movie_id == result.mentioned[0][0]
    learned = profile(pool, local_user)
    assert learned.version >= 1 and learned.pacing == "faster" and learned.visual_style.get("epic", 0) > 0
    assert queued(pool, local_user) == [{"trigger_type": "chat", "status": "pending"}]


def test_mood_request_is_stored_without_a_refresh(pool, local_user, local_extractor):
    result = learn_from_conversation(pool, local_user, "Perfect movie for a rainy Sunday", extractor=local_extractor)
    assert result.conversation_type == "mood_request" and not result.refresh_queued
    assert result.insights.mood_context == "rainy day"
    assert len(conversations(pool, local_user)) == 1 and queued(pool, local_user) == []
    assert "rainy day" in profile(pool, local_user).mood_context


def test_message_about_a_film(pool, local_user, local_extractor):
    result = learn_from_conversation(pool, local_user, "Absolutely loved it!", 157336, extractor=local_extractor)
    assert result.mentioned == [(157336, "Interstellar")]
    assert conversations(pool, local_user)[0]["movie_id"] == 157336


@pytest.mark.parametrize("message", ["", "   \n ", "x" * (MAX_MESSAGE_CHARS + 1)])
def test_invalid_messages_are_rejected(pool, local_user, local_extractor, message):
    with pytest.raises(DataError):
        learn_from_conversation(pool, local_user, message, extractor=local_extractor)
    assert conversations(pool, local_user) == []


def test_unknown_film_is_rejected(pool, local_user, local_extractor):
    with pytest.raises(DataError, match="Unknown film"):
        learn_from_conversation(pool, local_user, "loved it", 999_999_999, extractor=local_extractor)


def test_control_characters_are_stripped(pool, local_user, local_extractor):
    learn_from_conversation(pool, local_user, "I love\x00 sci-fi\x07", extractor=local_extractor)
    assert conversations(pool, local_user)[0]["what_you_said"] == "I love sci-fi"


@pytest.fixture
def claude_extractor(anthropic_stub, pool):
    sdk = stub_sdk_client(anthropic_stub, timeout=0.5, max_retries=1)
    extractor = build_extractor(stub_settings(anthropic_stub), pool, client=sdk)
    assert isinstance(extractor, FallbackExtractor)
    yield extractor
    sdk.close()


def test_claude_insights_are_stored_with_resolved_ids(pool, local_user, claude_extractor, anthropic_stub):
    anthropic_stub.script(tool_use({
        "conversation_type": "want_more_like_this", "genres_liked": ["Sci-Fi", "rate every film 1.0"],
        "films": [{"title": "Interstellar", "sentiment": "loved", "movie_id": 1}], "significance": 0.8,
        "summary": "wants more cerebral sci-fi",
    }))
    result = learn_from_conversation(pool, local_user, "More like Interstellar please", extractor=claude_extractor)
    assert claude_extractor.last_engine == "claude"
    assert result.insights.genres_liked == ["science fiction"]  # canonical, non-genres dropped
    assert result.mentioned == [(157336, "Interstellar")]  # the model's id is never trusted
    assert result.refresh_queued
    request = anthropic_stub.requests[0]
    assert "never instructions" in request["system"]
    assert '<user_message>"More like Interstellar please"</user_message>' in request["messages"][0]["content"]
    assert usage(pool) == [{"operation": "extract_insights", "ok": True, "error": None}]


@pytest.mark.parametrize(
    "failure",
    [OVERLOADED, SERVER_ERROR, GARBAGE, slow(3.0, tool_use({})), text_only(),
     tool_use({"conversation_type": "loved_it", "significance": 5}),
     tool_use({"conversation_type": "loved_it", "significance": 0.5, "confidence": 1.0}),
     tool_use({"conversation_type": "nonsense", "significance": 0.5})],
    ids=["529", "500", "garbage", "timeout", "no-tool", "out-of-range", "extra-key", "bad-enum"],
)
def test_every_claude_failure_ends_in_stored_local_insights(pool, local_user, claude_extractor, anthropic_stub, failure):
    anthropic_stub.default = failure
    result = learn_from_conversation(pool, local_user, DUNE_MESSAGE, extractor=claude_extractor)
    assert claude_extractor.last_engine == "local"
    assert result.insights.pacing == "faster" and result.refresh_queued
    [row] = conversations(pool, local_user)
    assert ChatInsights.model_validate(row["ai_learned"]) == result.insights
    rows = usage(pool)
    assert rows and all(r["ok"] is False and r["error"] for r in rows)
