"""Where to watch: provider logos on cards and film pages, and the dashboard's "only what I can stream".

TMDB's terms ask for JustWatch to be credited wherever its provider data is shown; every block here
carries that line. No provider data (offline, or none in the region) draws nothing at all.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import settings as user_settings
from cine_core.app.dashboard import Card
from cine_core.config import get_settings
from cine_core.domain.models import Movie
from cine_core.domain.watch import ATTRIBUTION, JUSTWATCH_URL, Provider, UserSettings, can_stream, where_to_watch

ONLY_STREAMABLE_KEY = "only-streamable"
_VIEWER_KEY = "_cine_viewer_settings"
CARD_LOGOS = 4  # per kind on a card; the film page shows all
LOGO_PIXELS = 28


def viewer_settings(pool: ConnectionPool, user_id: str) -> UserSettings:
    """The signed-in person's settings, read once per session (the Settings page refreshes it on save)."""
    cached = st.session_state.get(_VIEWER_KEY)
    if cached is None or cached.user_id != user_id:
        cached = user_settings.load_user_settings(pool, user_id, get_settings())
        st.session_state[_VIEWER_KEY] = cached
    return cached


def remember_viewer_settings(saved: UserSettings) -> None:
    st.session_state[_VIEWER_KEY] = saved


def _logo(provider: Provider, mine: bool) -> str:
    name = html.escape(provider.name)
    ring = "box-shadow:0 0 0 2px #21c354;" if mine else ""
    url = provider.logo_url()
    if url is None:
        return f'<span class="cine-provider" title="{name}" style="font-size:0.75em">{name}</span>'
    return (f'<img class="cine-provider" src="{html.escape(url)}" alt="{name}" title="{name}" width="{LOGO_PIXELS}" '
            f'height="{LOGO_PIXELS}" style="border-radius:6px;margin:0 3px 3px 0;vertical-align:middle;{ring}">')


def offers_html(movie: Movie, viewer: UserSettings, *, limit: int | None = CARD_LOGOS) -> str:
    """The film's offers in the viewer's region as HTML ('' when there are none)."""
    offers = where_to_watch(movie.watch_providers, viewer.region)
    if offers is None:
        return ""
    mine = {s.casefold() for s in viewer.streaming_services}
    rows = []
    for label, providers in (("Stream", offers.stream), ("Rent", offers.rent), ("Buy", offers.buy)):
        if not providers:
            continue
        shown = providers if limit is None else providers[:limit]
        more = f' <small>+{len(providers) - len(shown)}</small>' if len(providers) > len(shown) else ""
        logos = "".join(_logo(p, p.name.casefold() in mine) for p in shown)
        rows.append(f'<div><small style="display:inline-block;width:3.2em">{label}</small>{logos}{more}</div>')
    safe = offers.link if offers.link and offers.link.startswith(("https://", "http://")) else None  # no javascript:
    link = f' · <a href="{html.escape(safe)}" target="_blank" rel="noopener">all offers</a>' if safe else ""
    credit = (f'<div style="opacity:0.7"><small><a href="{JUSTWATCH_URL}" target="_blank">{ATTRIBUTION}</a>'
              f'{link}</small></div>')
    return f'<div class="cine-where-to-watch">{"".join(rows)}{credit}</div>'


def render_where_to_watch(movie: Movie, *, pool: ConnectionPool, user_id: str, detailed: bool = False) -> None:
    """Provider logos for the viewer's region, or nothing when TMDB listed none."""
    block = offers_html(movie, viewer_settings(pool, user_id), limit=None if detailed else CARD_LOGOS)
    if block:
        if detailed:
            st.subheader("Where to watch")
        st.markdown(block, unsafe_allow_html=True)


def render_streamable_toggle(pool: ConnectionPool, user_id: str) -> None:
    """The dashboard's "only what I can stream" switch; shown only to people who chose their services."""
    if viewer_settings(pool, user_id).streaming_services:
        st.toggle("Only what I can stream", key=ONLY_STREAMABLE_KEY,
                  help="Show only films on your streaming services (choose them in Settings).")


def only_streamable(cards: Sequence[Card], *, pool: ConnectionPool, user_id: str) -> list[Card]:
    """The cards as they are, or, with the toggle on, those streaming on the viewer's services (saying so
    when none do)."""
    if not st.session_state.get(ONLY_STREAMABLE_KEY):
        return list(cards)
    viewer = viewer_settings(pool, user_id)
    kept = [c for c in cards if can_stream(c.movie.watch_providers, viewer.region, viewer.streaming_services)]
    if cards and not kept:
        st.info(f"None of these films stream on {', '.join(viewer.streaming_services)} in {viewer.region}. "
                "Switch off “Only what I can stream” to see them all.", icon="📺")
    return kept
