"""Get started: rate well-known films (or import a history) so CineAI can learn a taste."""

from __future__ import annotations

import streamlit as st

from cine_core.app.onboarding import load_onboarding
from ui import context
from ui.cards import render_grid
from ui.import_panel import render_import

TARGET_RATINGS = 5
FILMS_SHOWN = 24

pool, user = context.page_setup()
st.title("👋 Get started")
context.show_flashes()

page = None
with context.guarded("Loading films to rate"):
    page = load_onboarding(pool, user.id, limit=FILMS_SHOWN)

if page is not None:
    state = page.state
    done = min(state.rating_count, TARGET_RATINGS)
    label = (f"{state.rating_count} of {TARGET_RATINGS} films rated" if state.rating_count < TARGET_RATINGS
             else f"{state.rating_count} films rated: enough to start")  # never "8 of 5"
    st.progress(done / TARGET_RATINGS, text=label)
    if state.rating_count >= TARGET_RATINGS:
        st.success("That's enough to start: your personal picks are being prepared.")
        st.page_link("pages/dashboard.py", label="See today's picks", icon="🎬")
    rate_tab, import_tab = st.tabs(["Rate films you have seen", "Import a history"])
    with rate_tab:
        st.caption("Open **Seen it ★** on any film you have watched and save a rating (half stars allowed). "
                   "Skip the ones you have not seen.")
        render_grid(page.films, scope="onboard", pool=pool, user_id=user.id, columns=4)
    with import_tab:
        render_import(pool=pool, user_id=user.id, key="onboard-import")
