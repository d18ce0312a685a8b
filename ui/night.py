"""Movie-night widgets: the invite and join forms, and the joint picks as cards with both reasons."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import night as movie_night
from cine_core.config import Settings
from cine_core.domain.errors import DataError
from ui.context import flash, run_action
from ui.escape import as_text
from ui.format import poster_html

PICK_COLUMNS = 4
POSTER_MAX_PX = 200
STREAM_NOTES = {2: "📺 Both of you can stream it", 1: "📺 One of you can stream it"}
plain = as_text  # the name pages/night.py imports; ui/escape.py is where it lives


def _invited(code: str | None) -> None:
    if code:
        flash("success", "Invite created: send the code below to the person you want to watch with.")


def _create(pool: ConnectionPool, user_id: str, key: str) -> None:
    _invited(run_action(movie_night.create_invite, pool, user_id, st.session_state.get(key, "")))


def _join(pool: ConnectionPool, settings: Settings, user_id: str, code_key: str, name_key: str) -> None:
    code = (st.session_state.get(code_key) or "").strip()
    if not code:
        flash("error", "Type the invite code your friend sent you.")
        return
    joined = run_action(movie_night.accept_invite, pool, settings, user_id, code, st.session_state.get(name_key, ""))
    if joined is not None:
        partner = as_text(joined.partner_name or "your friend")  # typed by the other person: text, not Markdown
        flash("success", f"You and {partner} have a movie night: here is what you could watch.")


def render_invite_form(pool: ConnectionPool, user_id: str, *, again: bool = False) -> None:
    with st.form("night-invite", border=True):
        st.markdown("**Invite someone**")
        st.text_input("Your name, as your friend will see it", max_chars=movie_night.MAX_NAME_CHARS,
                      key="night-invite-name")
        st.form_submit_button("Create a new invite code" if again else "Create an invite code",
                              on_click=_create, args=(pool, user_id, "night-invite-name"))


def render_join_form(pool: ConnectionPool, settings: Settings, user_id: str) -> None:
    with st.form("night-join", border=True):
        st.markdown("**Got a code?**")
        st.text_input("Invite code", placeholder="ABCD-EF01-2345", key="night-join-code")
        st.text_input("Your name, as your friend will see it", max_chars=movie_night.MAX_NAME_CHARS,
                      key="night-join-name")
        st.form_submit_button("Join", type="primary", on_click=_join,
                              args=(pool, settings, user_id, "night-join-code", "night-join-name"))


def _end(pool: ConnectionPool, user_id: str, pair_id: int, what: str) -> None:
    if run_action(movie_night.end_movie_night, pool, user_id, pair_id):
        flash("success", what)


def render_end_button(pool: ConnectionPool, user_id: str, pair_id: int, *, invite: bool = False) -> None:
    label, done = ("Withdraw the invite", "Invite withdrawn.") if invite else ("End movie night", "Movie night ended.")
    st.button(label, key="night-end", on_click=_end, args=(pool, user_id, pair_id, done))


def _refresh(pool: ConnectionPool, settings: Settings, user_id: str) -> None:
    try:
        movie_night.refresh_movie_night(pool, settings, user_id)
    except DataError as exc:
        flash("error", str(exc))


def render_refresh_button(pool: ConnectionPool, settings: Settings, user_id: str) -> None:
    st.button("🔄 Refresh the list", key="night-refresh", on_click=_refresh, args=(pool, settings, user_id))


def render_pick(pick: movie_night.NightPick) -> None:
    movie = pick.movie
    with st.container(border=True, key=f"night-pick-{movie.id}"):
        poster = poster_html(movie.poster_url(), movie.title, movie.year)
        st.markdown(f'<div style="max-width:{POSTER_MAX_PX}px;margin:0 auto">{poster}</div>', unsafe_allow_html=True)
        year = f" ({movie.year})" if movie.year else ""
        st.page_link("pages/film.py", label=f"**{as_text(movie.title)}**{year}", query_params={"id": str(movie.id)})
        st.caption(f"**{pick.confidence:.0%}** for the two of you")
        # Inline HTML does not stop Markdown inside it: the lines (the partner's name, titles) are escaped for both.
        st.markdown(f"<small>{as_text(pick.your_line)}<br>{as_text(pick.partner_line)}</small>",
                    unsafe_allow_html=True)
        if pick.streamable in STREAM_NOTES:
            st.caption(STREAM_NOTES[pick.streamable])


def render_picks(picks: Sequence[movie_night.NightPick], *, columns: int = PICK_COLUMNS) -> None:
    for start in range(0, len(picks), columns):
        for column, pick in zip(st.columns(columns), picks[start:start + columns], strict=False):
            with column:
                render_pick(pick)
