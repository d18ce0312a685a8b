"""What a person asked the chat after a real history (issue 23): their profile, tonight's mood, "shorter", a
pending question; and Claude's daily caps (issue 24), all through the pipeline the chat page calls."""

from __future__ import annotations

import pytest

from cine_core import chat
from cine_core.chat import _reply as words
from cine_core.chat._claude_turn import build_chat_client
from cine_core.db import transaction
from tests.anthropic_stub import anthropic_stub, stub_settings, tool_use  # noqa: F401 (fixture)
from tests.cine_core.chat.helpers import rate_twenty, without_chat_limits

HEAT_MINUTES = 170


def _one(pool, sql, *args):
    with transaction(pool) as conn:
        return conn.execute(sql, args).fetchone()


def _profile(pool, user_id):
    return _one(pool, "select preferences, version from taste_profile where user_id = %s", user_id)


def _runtimes(pool, ids):
    with transaction(pool) as conn:
        rows = conn.execute("select id, runtime from movies where id = any(%s)", (ids,)).fetchall()
    return {r["id"]: r["runtime"] for r in rows}


@pytest.fixture
def rated_user(pool, local_user):
    rate_twenty(pool, local_user)
    without_chat_limits(pool)
    return local_user


def test_what_did_you_learn_about_me_is_answered_from_the_profile(pool, rated_user):
    before = _profile(pool, rated_user)
    turn = chat.talk(pool, rated_user, "what did you learn about me?", llm=False)
    reply = turn.insights.reply
    assert reply.intent == "question" and reply.text != words.UNCLEAR
    assert reply.text.startswith("From your 20 ratings") and "crime" in reply.text.lower()
    assert "Your highest-rated" in reply.text  # the whole history speaks too, not only the recent profile
    assert turn.insights.summary == "" and _profile(pool, rated_user) == before


def test_a_person_with_no_taste_yet_is_told_so(pool, local_user):
    turn = chat.talk(pool, local_user, "What do you know about my taste?", llm=False)
    assert turn.insights.reply.text == words.EMPTY_PROFILE


def test_tonights_mood_lasts_the_conversation_not_the_profile(pool, rated_user):
    before = _profile(pool, rated_user)
    first = chat.talk(pool, rated_user, "something uplifting for tonight", llm=False)
    assert first.insights.reply.request.moods == ["uplifting"] and words.TONIGHT in first.insights.reply.text
    assert first.insights.mood == [] and first.insights.summary == ""
    after = _profile(pool, rated_user)
    assert after == before and not after["preferences"].get("moods")
    follow = chat.talk(pool, rated_user, "funnier", llm=False).insights.reply  # the session still has it
    assert follow.request.moods[:2] == ["funny", "uplifting"]


def test_like_heat_but_shorter_is_clearly_shorter_and_sorted_by_confidence(pool, rated_user):
    reply = chat.talk(pool, rated_user, "like Heat but shorter", llm=False).insights.reply
    runtimes = _runtimes(pool, [s.movie_id for s in reply.suggestions])
    assert len(runtimes) >= 3
    assert all(r <= 0.85 * HEAT_MINUTES and r <= HEAT_MINUTES - 20 for r in runtimes.values()), runtimes
    confidences = [s.confidence for s in reply.suggestions]
    assert confidences == sorted(confidences, reverse=True)


def test_a_question_stays_pending_after_other_messages(pool, rated_user):
    dune = chat.talk(pool, rated_user, "I loved Dune", llm=False)
    chat.talk(pool, rated_user, "hi", llm=False)
    items = {item.turn.id: item for item in chat.load_conversation(pool, rated_user)}
    assert items[dune.id].pending and [c.movie_id for c in items[dune.id].reply.choices] == [438631, 841]
    chat.answer(pool, rated_user, dune.id, 841, llm=False)
    [answered] = [i for i in chat.load_conversation(pool, rated_user) if i.turn.text == "I loved Dune"]
    assert not answered.pending


def _spent_today(pool, user_id, usd, *, calls=1):
    with transaction(pool) as conn:
        for _ in range(calls):
            conn.execute("insert into api_usage (service, operation, user_id, estimated_cost_usd)"
                         " values ('anthropic', 'chat_reply', %s, %s)", (user_id, usd / calls))


@pytest.mark.parametrize("caps, spent", [({"cine_llm_daily_budget_usd": 0.01}, (None, 50.0, 1)),
                                         ({"cine_llm_user_daily_calls": 2}, ("self", 0.002, 2))],
                         ids=["installation-budget", "person-calls"])
def test_past_a_daily_cap_the_local_engine_answers_and_says_so(pool, rated_user, anthropic_stub, caps, spent):
    who, usd, calls = spent
    _spent_today(pool, rated_user if who == "self" else None, usd, calls=calls)
    anthropic_stub.default = tool_use({"intent": "request", "insights": {"conversation_type": "mood_request",
                                                                         "significance": 0.2}, "reply": "Hi"})
    settings = stub_settings(anthropic_stub, **caps)
    for message in ("Something uplifting please", "I love heist films", "a film like Heat but shorter"):
        reply = chat.talk(pool, rated_user, message, llm=build_chat_client(settings, pool), settings=settings)
        assert reply.insights.reply.engine == "local" and reply.insights.reply.note == words.CAPPED_NOTE
    assert anthropic_stub.requests == []


def test_within_the_caps_claude_answers(pool, rated_user, anthropic_stub):
    anthropic_stub.default = tool_use({"intent": "small_talk", "insights": {"conversation_type": "general_preference",
                                                                            "significance": 0.0}, "reply": "Hi!"})
    settings = stub_settings(anthropic_stub, cine_llm_daily_budget_usd=100.0, cine_llm_user_daily_calls=5)
    turn = chat.talk(pool, rated_user, "hello", llm=build_chat_client(settings, pool), settings=settings)
    assert turn.insights.reply.engine == "claude" and len(anthropic_stub.requests) == 1
