"""Drawing one chat turn: the message, CineAI's reply, its question buttons, the undo and the films."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core import chat
from cine_core.app.dashboard import Card
from cine_core.domain.models import Pick
from ui.cards import render_grid
from ui.context import run_action

SUGGESTION_COLUMNS = 4  # five columns squeeze the card's action buttons below their emoji
ENGINE_NOTE = {"claude": "Answered by Claude", "local": "Answered by the local engine"}


def render_turn(item: chat.ChatItem, cards: dict[int, Card], *, pool: ConnectionPool, user_id: str) -> None:
    """One message and its answer. A question CineAI asked keeps its buttons until it is answered."""
    turn, reply = item.turn, item.reply
    with st.chat_message("user"):
        st.markdown(html.escape(turn.text))
    with st.chat_message("assistant", avatar="🎬"):
        if reply is None:  # a message stored before replies existed
            st.markdown(f"**Learned:** {html.escape(turn.insights.summary)}" if turn.insights.summary else "Noted.")
            return
        if turn.insights.summary and reply.intent == "preference":
            st.markdown(f"**Learned:** {html.escape(turn.insights.summary)}")
            st.markdown(html.escape(_without_learned(reply.text)))
        else:
            st.markdown(html.escape(reply.text))
        if reply.note:
            st.caption(reply.note)
        if item.pending:
            columns = st.columns([1] * len(reply.choices) + [max(1, 6 - len(reply.choices))])
            for column, choice in zip(columns, reply.choices, strict=False):
                column.button(choice.label, key=f"answer-{turn.id}-{choice.movie_id}",
                              on_click=run_action, args=(chat.answer, pool, user_id, turn.id, choice.movie_id),
                              kwargs={"success": f"Got it: {choice.label}"})
        if turn.insights.summary and not reply.undone:
            st.button("↩️ Undo what I learned", key=f"undo-{turn.id}", help="Forget what this message taught me",
                      on_click=run_action, args=(chat.undo, pool, user_id, turn.id),
                      kwargs={"success": "Undone: your profile no longer includes that message"})
        shown = suggested_cards(item, cards)
        if shown:
            render_grid(shown, scope=f"chat-{turn.id[:8]}", pool=pool, user_id=user_id, columns=SUGGESTION_COLUMNS)
        st.caption(ENGINE_NOTE.get(reply.engine, ""))


def suggested_cards(item: chat.ChatItem, cards: dict[int, Card]) -> list[Card]:
    """The turn's suggestions as cards, best first, each with the reason and confidence the chat gave it."""
    reply = item.reply
    if reply is None:
        return []
    source = "mood_match" if reply.request is not None and reply.request.moods else "similar_to_rated"
    shown = []
    for suggestion in reply.suggestions:
        card = cards.get(suggestion.movie_id)
        if card is not None:
            pick = Pick(movie=card.movie, confidence=suggestion.confidence, reason=suggestion.reason,
                        discovery_source=source, generated_at=item.turn.created_at or datetime.now(UTC),
                        matcher=reply.engine)
            shown.append(replace(card, pick=pick))
    return shown


def _without_learned(text: str) -> str:
    """The reply minus its 'Noted for your profile: …' sentence, which the Learned line already says."""
    if text.startswith("Noted for your profile:"):
        rest = text.split(". ", 1)
        return rest[1] if len(rest) > 1 else ""
    return text
