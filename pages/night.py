"""Movie night for two: invite someone (or join with their code), then films neither of you has seen that
both of you should like, each with one line of reason per person. Neither sees the other's ratings, chat or
profile: only this list and its reasons."""

from __future__ import annotations

import streamlit as st

from cine_core.app.night import load_movie_night
from cine_core.config import get_settings
from ui import context
from ui.auth_panel import movie_night_needs
from ui.format import time_ago
from ui.night import (
    plain,
    render_end_button,
    render_invite_form,
    render_join_form,
    render_picks,
    render_refresh_button,
)

pool, user = context.page_setup()
config = get_settings()
st.title("🍿 Movie night")
context.show_flashes()

night = None
with context.guarded("Loading your movie night"):
    night = load_movie_night(pool, config, user.id)
if night is None:
    st.stop()

if night.state == "paired":
    st.subheader(f"You and {plain(night.partner_name or 'your friend')}")
    st.caption("Films neither of you has rated, watched or turned down, best for the less keen of you first. "
               f"{plain(night.partner_name or 'Your friend')} sees this list and its reasons, never your ratings, "
               "chat or taste profile.")
    left, right = st.columns([1, 1])
    with left:
        render_refresh_button(pool, config, user.id)
    with right:
        render_end_button(pool, user.id, night.pair_id)
    if night.picks:
        if night.computed_at:
            st.caption(f"Updated {time_ago(night.computed_at)}.")
        render_picks(night.picks)
    else:
        st.info("Nothing fits the two of you yet: rate a few more films each, then refresh.")
    st.stop()

if needs := movie_night_needs(pool, config, user):
    # Personal mode with one profile: a code could be made but nobody else could redeem it, so none is offered.
    st.info(needs, icon="👥")
    st.stop()
if night.state == "ended":
    st.info(f"Your movie night with {plain(night.partner_name or 'your friend')} has ended.")
st.markdown("Pick a film together: CineAI suggests films neither of you has seen that you should both like. "
            "Your friend sees only the joint list and one line of reason per film, never your ratings or chat.")
if night.state == "invited":
    st.success(f"Your invite code: **{night.invite_code}**, valid until "
               f"{night.expires_at:%d %B %Y}. Send it to the person you want to watch with.")
    render_end_button(pool, user.id, night.pair_id, invite=True)
invite_column, join_column = st.columns(2)
with invite_column:
    render_invite_form(pool, user.id, again=night.state == "invited")
with join_column:
    render_join_form(pool, config, user.id)
