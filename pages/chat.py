"""Chat: tell CineAI what you loved or hated, or ask for something; it answers, learns and suggests films."""

from __future__ import annotations

import streamlit as st

from cine_core.app import companion, dashboard
from cine_core.app.services import user_transaction
from ui import context
from ui.cards import render_grid
from ui.chat_view import render_turn

HISTORY_MESSAGES = 30

pool, user = context.page_setup()
st.title("💬 Chat")
st.caption("Tell me what you loved or hated, or ask for something (“something uplifting”, “a film like Heat but "
           "shorter”). I answer with films from the catalog, learn from what you say and refresh your picks.")
context.show_flashes()

message = st.chat_input("e.g. I loved Arrival, but it was a bit slow", key="chat-input")
if message:
    with context.guarded("Answering your message"), st.spinner("Thinking about that…"):
        companion.talk(pool, user.id, message)

items: list[companion.ChatItem] = []
with context.guarded("Loading the conversation"):
    items = companion.load_chat(pool, user.id, limit=HISTORY_MESSAGES)

if not items:
    st.info("No messages yet. Try: “Something uplifting for a rainy Sunday”, “a film like Heat but shorter” or "
            "“I hated how slow Tenet felt”.")
for index, item in enumerate(items):
    render_turn(item, pool=pool, user_id=user.id, latest=index == len(items) - 1)

last = items[-1] if items else None
if last is not None and last.reply is not None and not last.reply.undone:
    if last.reply.refresh_queued:
        st.success("That changes things: your picks are being refreshed.", icon="🔄")
    mentioned = [f.movie_id for f in last.turn.insights.films if f.movie_id is not None]
    if mentioned:
        st.markdown("**Films you mentioned**")
        cards: list[dashboard.Card] = []
        with context.guarded("Loading the films you mentioned"):
            with user_transaction(pool, user.id) as conn:
                cards = dashboard.cards_for_movies(conn, user.id, mentioned)
        render_grid(cards, scope="chat", pool=pool, user_id=user.id, columns=4)
