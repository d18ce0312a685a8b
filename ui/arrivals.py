"""The dashboard's "now on your services" notice: films from the watchlist or picks that just arrived on one of
the person's services, until they say 'Got it'."""

from __future__ import annotations

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import arrivals
from cine_core.app.auth import AppUser
from ui import context

MAX_LINES = 5


def render_arrivals_notice(pool: ConnectionPool, user: AppUser) -> None:
    found = []
    with context.guarded("Loading what arrived on your services"):
        found = arrivals.arrivals_notice(pool, user.id)
    if not found:
        return
    lines = [f"- **{a.title}**{f' ({a.year})' if a.year else ''} — now on {' and '.join(a.services)}"
             for a in found[:MAX_LINES]]
    more = len(found) - MAX_LINES
    text = "**Now on your services**\n" + "\n".join(lines) + (f"\n- and {more} more" if more > 0 else "")
    with st.container(border=True, key="arrivals-notice"):
        st.markdown(text)
        st.button("Got it", key="arrivals-dismiss", on_click=context.run_action,
                  args=(arrivals.dismiss_notice, pool, user.id))
