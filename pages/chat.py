"""Chat: tell CineAI about films and moods; every message is stored and teaches the profile."""

from __future__ import annotations

import pydantic
import streamlit as st

from cine_core.app import dashboard, history
from cine_core.app.services import learn_from_conversation, learned_line, user_transaction
from cine_core.domain.insights import ChatInsights
from ui import context
from ui.cards import render_grid

HISTORY_MESSAGES = 30
_LAST_RESULT_KEY = "chat_last_result"

pool, user = context.page_setup()
st.title("💬 Chat")
st.caption("Tell me what you loved or hated, or what you feel like tonight. "
           "I learn from every message and refresh your picks when it matters.")
context.show_flashes()


def _learned_text(ai_learned: dict) -> str:
    """'Learned: prefers faster pacing; …' or the chat module's line for a message that taught nothing."""
    try:
        insights = ChatInsights.model_validate(ai_learned)
    except pydantic.ValidationError:
        return "Noted."
    return f"**Learned:** {insights.summary}" if insights.summary else learned_line(insights)


message = st.chat_input("e.g. I loved Arrival, but it was a bit slow", key="chat-input")
if message:
    with context.guarded("Learning from your message"), st.spinner("Thinking about that…"):
        st.session_state[_LAST_RESULT_KEY] = learn_from_conversation(pool, user.id, message)

conversation: list[history.Conversation] = []
with context.guarded("Loading the conversation"):
    with user_transaction(pool, user.id) as conn:
        conversation = history.list_conversations(conn, user.id, limit=HISTORY_MESSAGES)

if not conversation:
    st.info("No messages yet. Try: “Something uplifting for a rainy Sunday” or “I hated how slow Tenet felt”.")
for item in conversation:
    with st.chat_message("user"):
        st.write(item.what_you_said)
        if item.movie_title:
            st.caption(f"About {item.movie_title}")
    learned = _learned_text(item.ai_learned)
    with st.chat_message("assistant", avatar="🎬"):
        st.markdown(learned)

result = st.session_state.get(_LAST_RESULT_KEY)
if result is not None and conversation and conversation[-1].id == result.conversation_id:
    if result.refresh_queued:
        st.success("That changes things: your picks are being refreshed.", icon="🔄")
    else:
        st.caption("Noted. Your picks will take this into account at the next refresh.")
    if result.mentioned:
        st.markdown("**Films you mentioned**")
        cards: list[dashboard.Card] = []
        with context.guarded("Loading the films you mentioned"):
            with user_transaction(pool, user.id) as conn:
                cards = dashboard.cards_for_movies(conn, user.id, [movie_id for movie_id, _ in result.mentioned])
        render_grid(cards, scope="chat", pool=pool, user_id=user.id, columns=4)
