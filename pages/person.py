"""A director's or actor's page (`/person?name=Denis Villeneuve`): your ratings of their films, then the
rest of their films in the catalog, best for you first."""

from __future__ import annotations

import streamlit as st

from cine_core.app.person import load_person
from ui import context
from ui.cards import render_grid

pool, user = context.page_setup()
context.show_flashes()

name = st.query_params.get("name", "").strip()[:120]
page = None
if name:
    with context.guarded("Loading their films"):
        page = load_person(pool, user.id, name)
if page is None:
    context.not_found("🎭 People", "No film in the catalog has that person. Open a director or actor from a film's page.")

st.title(page.name)
roles = [f"directed {page.directed} film(s)" if page.directed else "",
         f"acted in {page.acted}" if page.acted else ""]
st.caption("In the catalog: " + " and ".join(r for r in roles if r) + ".")
if page.yours:
    st.subheader("Yours")
    render_grid(list(page.yours), scope="person-yours", pool=pool, user_id=user.id, columns=4)
if page.for_you:
    st.subheader("Not seen yet, best for you first")
    render_grid(list(page.for_you), scope="person-new", pool=pool, user_id=user.id, columns=4)
