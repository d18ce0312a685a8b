"""Film cards: poster, title, why it was picked, and the buttons that act on it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import actions
from cine_core.app.dashboard import Card
from ui.context import run_action
from ui.format import RATING_OPTIONS, SOURCE_BADGES, poster_html, rating_label
from ui.providers import render_where_to_watch

GRID_COLUMNS = 4
DEFAULT_STAR_RATING = 4.0


def _save_rating(pool: ConnectionPool, user_id: str, movie_id: int, title: str, widget_key: str) -> None:
    value = st.session_state.get(widget_key)
    run_action(actions.rate, pool, user_id, movie_id, value, success=f"Rated {title}: {rating_label(float(value))}"
               if value is not None else None)


def render_card(card: Card, *, scope: str, pool: ConnectionPool, user_id: str, actions_shown: bool = True) -> None:
    """One film in a bordered box. `scope` keeps widget keys unique when a film shows twice."""
    movie, pick = card.movie, card.pick
    with st.container(border=True, key=f"card-{scope}-{movie.id}"):
        st.markdown(poster_html(movie.poster_url(), movie.title, movie.year), unsafe_allow_html=True)
        year = f" ({movie.year})" if movie.year else ""
        shown_title = re.sub(r"([\\`*_\[\]<>#])", r"\\\1", movie.title)  # a title is text, not Markdown
        st.page_link("pages/film.py", label=f"**{shown_title}**{year}", query_params={"id": str(movie.id)})
        if pick is not None:
            label, colour = SOURCE_BADGES.get(pick.discovery_source, (pick.discovery_source, "gray"))
            st.badge(label, color=colour)
            note = " · a long shot" if pick.below_threshold else ""
            st.caption(f"**{pick.confidence:.0%}** confidence{note}")
            st.markdown(f"<small>{html.escape(pick.reason)}</small>", unsafe_allow_html=True)
        elif movie.vote_average is not None:
            st.caption(f"TMDB {movie.vote_average:.1f}/10 · {', '.join(movie.genres[:2])}")
        render_where_to_watch(movie, pool=pool, user_id=user_id)
        if card.user_rating is not None:
            st.caption(f"You rated {rating_label(card.user_rating)}")
        if pick is not None and pick.feedback == "up":
            st.caption("👍 You liked this pick")
        if actions_shown:
            _render_actions(card, scope=scope, pool=pool, user_id=user_id)


def _render_actions(card: Card, *, scope: str, pool: ConnectionPool, user_id: str) -> None:
    movie = card.movie
    up, down, hide, keep = st.columns(4, gap="small")
    up.button("👍", key=f"{scope}-up-{movie.id}", help="Good pick: more like this",
              on_click=run_action, args=(actions.give_feedback, pool, user_id, movie.id, "up"),
              kwargs={"success": f"👍 noted for {movie.title}: your picks will be refreshed"})
    down.button("👎", key=f"{scope}-down-{movie.id}", help="Bad pick: less like this",
                on_click=run_action, args=(actions.give_feedback, pool, user_id, movie.id, "down"),
                kwargs={"success": f"👎 noted for {movie.title}: your picks will be refreshed"})
    hide.button("🚫", key=f"{scope}-hide-{movie.id}", help="Not interested: hide it for good",
                on_click=run_action, args=(actions.dismiss, pool, user_id, movie.id),
                kwargs={"success": f"{movie.title} is hidden for good"})
    if card.on_watchlist:
        keep.button("✅", key=f"{scope}-unwatch-{movie.id}", help="On your watchlist: click to remove",
                    on_click=run_action, args=(actions.remove_from_watchlist, pool, user_id, movie.id),
                    kwargs={"success": f"Removed {movie.title} from your watchlist"})
    else:
        keep.button("📌", key=f"{scope}-watch-{movie.id}", help="Add to watchlist",
                    on_click=run_action, args=(actions.add_to_watchlist, pool, user_id, movie.id),
                    kwargs={"success": f"Added {movie.title} to your watchlist"})
    with st.popover("Seen it ★", width="stretch"):
        stars_key = f"{scope}-stars-{movie.id}"
        st.select_slider("Your rating", options=RATING_OPTIONS, key=stars_key, format_func=rating_label,
                         value=card.user_rating or DEFAULT_STAR_RATING)
        st.button("Save rating", key=f"{scope}-rate-{movie.id}", type="primary",
                  on_click=_save_rating, args=(pool, user_id, movie.id, movie.title, stars_key))


def render_grid(cards: Sequence[Card], *, scope: str, pool: ConnectionPool, user_id: str,
                columns: int = GRID_COLUMNS, actions_shown: bool = True) -> None:
    """Cards in rows of `columns`."""
    for start in range(0, len(cards), columns):
        row = st.columns(columns)
        for column, card in zip(row, cards[start:start + columns], strict=False):
            with column:
                render_card(card, scope=scope, pool=pool, user_id=user_id, actions_shown=actions_shown)
