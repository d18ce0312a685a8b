"""Chat: tell CineAI what you loved or hated, or ask for something; it answers, learns and suggests films."""

from __future__ import annotations

import streamlit as st

from cine_core import chat
from cine_core.app import dashboard
from ui import context
from ui.cards import render_grid
from ui.chat_view import render_turn

HISTORY_MESSAGES = 30

pool, user = context.page_setup()
st.title("💬 Chat")
st.caption("Tell me what you loved or hated, or ask for something (“something uplifting”, “a film like Heat but "
           "shorter”, “what did you learn about me?”). I answer with films from the catalog, learn from what you "
           "say and refresh your picks.")
context.show_flashes()

message = st.chat_input("e.g. I loved Arrival, but it was a bit slow", key="chat-input")
if message:
    with context.guarded("Answering your message"), st.spinner("Thinking about that…"):
        chat.talk(pool, user.id, message)

items: list[chat.ChatItem] = []
cards: dict[int, dashboard.Card] = {}
with context.guarded("Loading the conversation"):
    items = chat.load_conversation(pool, user.id, limit=HISTORY_MESSAGES)
    last = items[-1] if items else None
    mentioned = [f.movie_id for f in last.turn.insights.films if f.movie_id is not None] if last else []
    ids = [i for item in items for i in item.suggested_ids] + mentioned
    cards = {c.movie.id: c for c in dashboard.load_cards(pool, user.id, ids)}  # every film on the page in one read

if not items:
    st.info("No messages yet. Try: “Something uplifting for a rainy Sunday”, “a film like Heat but shorter” or "
            "“I hated how slow Tenet felt”.")
for item in items:
    render_turn(item, cards, pool=pool, user_id=user.id)

last = items[-1] if items else None
if last is not None and last.reply is not None and not last.reply.undone:
    if last.reply.refresh_queued:
        st.success("That changes things: your picks are being refreshed.", icon="🔄")
    shown = [cards[i] for i in dict.fromkeys(f.movie_id for f in last.turn.insights.films if f.movie_id) if i in cards]
    if shown:
        st.markdown("**Films you mentioned**")
        render_grid(shown, scope="chat", pool=pool, user_id=user.id, columns=4)
