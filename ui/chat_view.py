"""Drawing one chat turn: the message, CineAI's reply, its question buttons, the undo and the films."""

from __future__ import annotations

import html

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import companion
from ui.cards import render_grid
from ui.context import run_action

SUGGESTION_COLUMNS = 4  # five columns squeeze the card's action buttons below their emoji
ENGINE_NOTE = {"claude": "Answered by Claude", "local": "Answered by the local engine"}


def render_turn(item: companion.ChatItem, *, pool: ConnectionPool, user_id: str, latest: bool) -> None:
    """One message and its answer. Only the latest turn offers to answer a question."""
    turn, reply = item.turn, item.reply
    with st.chat_message("user"):
        st.markdown(html.escape(turn.text))
    with st.chat_message("assistant", avatar="🎬"):
        if reply is None:  # a message stored before replies existed
            st.markdown(f"**Learned:** {turn.insights.summary}" if turn.insights.summary else "Noted.")
            return
        if turn.insights.summary and reply.intent == "preference":
            st.markdown(f"**Learned:** {html.escape(turn.insights.summary)}")
            st.markdown(html.escape(_without_learned(reply.text)))
        else:
            st.markdown(_escaped(reply.text))
        if reply.note:
            st.caption(reply.note)
        if reply.choices and latest and not reply.undone:
            columns = st.columns([1] * len(reply.choices) + [max(1, 6 - len(reply.choices))])
            for column, choice in zip(columns, reply.choices, strict=False):
                column.button(choice.label, key=f"answer-{turn.id}-{choice.movie_id}",
                              on_click=run_action, args=(companion.answer, pool, user_id, turn.id, choice.movie_id),
                              kwargs={"success": f"Got it: {choice.label}"})
        if turn.insights.summary and not reply.undone:
            st.button("↩️ Undo what I learned", key=f"undo-{turn.id}", help="Forget what this message taught me",
                      on_click=run_action, args=(companion.undo, pool, user_id, turn.id),
                      kwargs={"success": "Undone: your profile no longer includes that message"})
        if item.cards:
            render_grid(item.cards, scope=f"chat-{turn.id[:8]}", pool=pool, user_id=user_id,
                        columns=SUGGESTION_COLUMNS)
        st.caption(ENGINE_NOTE.get(reply.engine, ""))


def _without_learned(text: str) -> str:
    """The reply minus its 'Noted for your profile: …' sentence, which the Learned line already says."""
    if text.startswith("Noted for your profile:"):
        rest = text.split(". ", 1)
        return rest[1] if len(rest) > 1 else ""
    return text


def _escaped(text: str) -> str:
    """Reply text as markdown: HTML escaped (a Claude reply is text, never markup); ** bold kept."""
    return html.escape(text)
