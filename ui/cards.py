"""Film cards: poster, title, why it was picked, and the buttons that act on it.

Each card with actions is a fragment: a click reruns that card only (a fraction of a second), not the
whole page; the card then shows what changed in place ("👍 noted", "hidden · Undo"). A rating reruns the
page where counters elsewhere depend on it (onboarding's "rated N of 5"); on the dashboard
(`rating_reruns_page=False`) the rated film folds in place, out of the picks, like a 👎.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import actions
from cine_core.app.dashboard import Card
from cine_core.domain.errors import CineError
from cine_core.domain.models import Movie
from ui.context import toast
from ui.format import SOURCE_BADGES, poster_html, rating_label
from ui.providers import render_where_to_watch
from ui.rating_input import rating_slider

GRID_COLUMNS = 4
POSTER_MAX_PX = 220
_STATES = "_cine_card_states"  # {card key: CardState}: what the person changed since the page was drawn
_FULL_RERUN = "_cine_card_full_rerun"


@dataclass(frozen=True, slots=True)
class CardState:
    """The person's changes to one card since the page was last drawn in full."""

    feedback: str | None = None  # 'up' | 'down' | 'not_interested'
    on_watchlist: bool | None = None
    note: str | None = None  # what the last click did, said in the card
    rating: float | None = None  # rated from this card (the dashboard folds it: seen, out of the picks)
    error: str | None = None


def render_card(card: Card, *, scope: str, pool: ConnectionPool, user_id: str, actions_shown: bool = True,
                rating_reruns_page: bool = True) -> None:
    """One film in a bordered box. `scope` keeps widget keys unique when a film shows twice."""
    if actions_shown:
        _interactive_card(card, scope=scope, pool=pool, user_id=user_id, rating_reruns_page=rating_reruns_page)
    else:
        with st.container(border=True, key=f"card-{scope}-{card.movie.id}"):
            _draw_film(card, pool=pool, user_id=user_id, liked=False)


@st.fragment
def _interactive_card(card: Card, *, scope: str, pool: ConnectionPool, user_id: str,
                      rating_reruns_page: bool = True) -> None:
    if st.session_state.pop(_FULL_RERUN, False):
        st.rerun()  # a rating changes counters and lists outside this card
    movie = card.movie
    state = _state(scope, movie.id)
    with st.container(border=True, key=f"card-{scope}-{movie.id}"):
        if state.rating is not None:
            _draw_rated(card, state)
            return
        if state.feedback in ("down", "not_interested"):
            _draw_hidden(card, state, scope=scope, pool=pool, user_id=user_id)
            return
        liked = state.feedback == "up" or (card.pick is not None and card.pick.feedback == "up")
        _draw_film(card, pool=pool, user_id=user_id, liked=liked)
        if state.note:
            st.success(state.note)
        if state.error:
            st.error(state.error, icon="⚠️")
        on_watchlist = card.on_watchlist if state.on_watchlist is None else state.on_watchlist
        _render_actions(card, on_watchlist=on_watchlist, scope=scope, pool=pool, user_id=user_id,
                        rating_reruns_page=rating_reruns_page)


def _draw_film(card: Card, *, pool: ConnectionPool, user_id: str, liked: bool) -> None:
    movie, pick = card.movie, card.pick
    poster = poster_html(movie.poster_url(), movie.title, movie.year)
    # On a phone a card spans the screen: a poster that wide pushes everything else out of view.
    st.markdown(f'<div style="max-width:{POSTER_MAX_PX}px;margin:0 auto">{poster}</div>', unsafe_allow_html=True)
    year = f" ({movie.year})" if movie.year else ""
    shown_title = re.sub(r"([\\`*_\[\]<>#])", r"\\\1", movie.title)  # a title is text, not Markdown
    st.page_link("pages/film.py", label=f"**{shown_title}**{year}", query_params={"id": str(movie.id)})
    if pick is not None:
        label, colour = SOURCE_BADGES.get(pick.discovery_source, (pick.discovery_source, "gray"))
        note = " · a long shot" if pick.below_threshold else ""
        # Badge and confidence in one element: a page draws 12 cards, and each element costs CPU on every view.
        st.caption(f":{colour}-badge[{_badge_text(label)}]  \n**{pick.confidence:.0%}** confidence{note}")
        st.markdown(f"<small>{html.escape(pick.reason)}</small>", unsafe_allow_html=True)
    elif movie.vote_average is not None:
        st.caption(f"TMDB {movie.vote_average:.1f}/10 · {', '.join(movie.genres[:2])}")
    render_where_to_watch(movie, pool=pool, user_id=user_id)
    if card.user_rating is not None:
        st.caption(f"You rated {rating_label(card.user_rating)}")
    if liked:
        st.caption("👍 You liked this pick" if pick is not None else "👍 You want more like this")


def _badge_text(label: str) -> str:
    """A label inside `:color-badge[...]`: brackets and Markdown marks would end or restyle it."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", label)


def _draw_rated(card: Card, state: CardState) -> None:
    """A film rated from its card: seen, so it folds in its place (the grid keeps its order); the rating itself
    is edited on the film page."""
    movie = card.movie
    st.markdown(f"<span style='opacity:0.55'>~~{html.escape(movie.title)}~~ · seen</span>", unsafe_allow_html=True)
    st.caption(f"You rated {rating_label(state.rating)}")
    st.page_link("pages/film.py", label="Change it on the film page", query_params={"id": str(movie.id)})


def _draw_hidden(card: Card, state: CardState, *, scope: str, pool: ConnectionPool, user_id: str) -> None:
    """A 👎'd or dismissed film stays in its place, folded, until the page is drawn again."""
    movie = card.movie
    what = "less like this" if state.feedback == "down" else "hidden for good"
    st.markdown(f"<span style='opacity:0.55'>~~{html.escape(movie.title)}~~ · {what}</span>", unsafe_allow_html=True)
    st.button("↩️ Undo", key=f"{scope}-undo-{movie.id}", on_click=_act,
              args=(scope, movie.id, actions.withdraw_feedback, (pool, user_id, movie.id)),
              kwargs={"then": CardState(note=f"{movie.title} is back")})


def _render_actions(card: Card, *, on_watchlist: bool, scope: str, pool: ConnectionPool, user_id: str,
                    rating_reruns_page: bool) -> None:
    movie = card.movie
    is_pick = card.pick is not None
    # xsmall gaps: at 390 px the four 44 px buttons fit one row (📌 wrapped onto a row of its own).
    with st.container(horizontal=True, gap="xsmall", key=f"actions-{scope}-{movie.id}"):
        st.button("👍", type="tertiary", key=f"{scope}-up-{movie.id}", help="Good pick: more like this" if is_pick else "More like this",
                  on_click=_act, args=(scope, movie.id, actions.give_feedback, (pool, user_id, movie.id, "up")),
                  kwargs={"then": CardState(feedback="up", note=f"👍 noted for {movie.title}: more like this")})
        st.button("👎", type="tertiary", key=f"{scope}-down-{movie.id}", help="Bad pick: less like this" if is_pick else "Less like this",
                  on_click=_act, args=(scope, movie.id, actions.give_feedback, (pool, user_id, movie.id, "down")),
                  kwargs={"then": CardState(feedback="down")})
        st.button("🚫", type="tertiary", key=f"{scope}-hide-{movie.id}", help="Not interested: hide it for good",
                  on_click=_act, args=(scope, movie.id, actions.dismiss, (pool, user_id, movie.id)),
                  kwargs={"then": CardState(feedback="not_interested")})
        if on_watchlist:
            st.button("✅", type="tertiary", key=f"{scope}-unwatch-{movie.id}", help="On your watchlist: click to remove",
                      on_click=_act, args=(scope, movie.id, actions.remove_from_watchlist, (pool, user_id, movie.id)),
                      kwargs={"then": CardState(on_watchlist=False, note="Removed from your watchlist")})
        else:
            st.button("📌", type="tertiary", key=f"{scope}-watch-{movie.id}", help="Add to watchlist",
                      on_click=_act, args=(scope, movie.id, actions.add_to_watchlist, (pool, user_id, movie.id)),
                      kwargs={"then": CardState(on_watchlist=True, note="📌 On your watchlist")})
    with st.popover("Seen it ★", width="stretch"):
        stars_key = f"{scope}-stars-{movie.id}"
        # Sliding does not rerun anything (so the pop-over stays open); Save reads the value. An unrated film
        # starts on "not rated", never on a pre-set 4★.
        rating_slider(stars_key, card.user_rating)
        st.button("Save rating", key=f"{scope}-rate-{movie.id}", type="primary",
                  on_click=_save_rating, args=(scope, movie, pool, user_id, stars_key, rating_reruns_page))


def _state(scope: str, movie_id: int) -> CardState:
    return st.session_state.get(_STATES, {}).get(f"{scope}-{movie_id}", CardState())


def _act(scope: str, movie_id: int, action: Callable[..., Any], args: tuple, *, then: CardState) -> None:
    """Run an action from a card's button; the card shows the outcome (or the error) in place."""
    states = st.session_state.setdefault(_STATES, {})
    key = f"{scope}-{movie_id}"
    try:
        action(*args)
    except CineError as exc:
        states[key] = replace(states.get(key, CardState()), error=str(exc), note=None)
        return
    previous = states.get(key, CardState())
    states[key] = replace(then, on_watchlist=then.on_watchlist if then.on_watchlist is not None
                          else previous.on_watchlist)


def _save_rating(scope: str, movie: Movie, pool: ConnectionPool, user_id: str, widget_key: str,
                 rerun_page: bool = True) -> None:
    value = st.session_state.get(widget_key)
    states = st.session_state.setdefault(_STATES, {})
    if value is None:
        states[f"{scope}-{movie.id}"] = CardState(error="Slide to your stars first, then save.")
        return
    try:
        actions.rate(pool, user_id, movie.id, value)
    except CineError as exc:
        states[f"{scope}-{movie.id}"] = CardState(error=str(exc))
        return
    if rerun_page:
        # A toast, where the person is looking: the card folds away and the page's top may be far above.
        toast(f"Rated {movie.title}: {rating_label(float(value))}", icon="⭐")
        st.session_state[_FULL_RERUN] = True
    else:
        states[f"{scope}-{movie.id}"] = CardState(rating=float(value))


def render_grid(cards: Sequence[Card], *, scope: str, pool: ConnectionPool, user_id: str,
                columns: int = GRID_COLUMNS, actions_shown: bool = True, rating_reruns_page: bool = True) -> None:
    """Cards in rows of `columns`; `rating_reruns_page=False` keeps a rating inside its card."""
    for start in range(0, len(cards), columns):
        row = st.columns(columns)
        for column, card in zip(row, cards[start:start + columns], strict=False):
            with column:
                render_card(card, scope=scope, pool=pool, user_id=user_id, actions_shown=actions_shown,
                            rating_reruns_page=rating_reruns_page)
