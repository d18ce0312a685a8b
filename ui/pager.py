"""A pager for long lists: '‹ Previous · Page 3 of 200 · 5,000 films · Next ›', its place kept per list."""

from __future__ import annotations

import streamlit as st

from cine_core.app.library import Page


def offset(key: str) -> int:
    """Where the list named `key` starts now (0 until the person pages)."""
    return int(st.session_state.get(f"{key}-offset", 0))


def reset(key: str) -> None:
    """Back to the first page (a widget callback: the search, filter or sort of the list changed)."""
    st.session_state[f"{key}-offset"] = 0


def _move(key: str, to: int) -> None:
    st.session_state[f"{key}-offset"] = max(0, to)


def render_pager(key: str, page: Page, *, noun: str = "films") -> None:
    """Previous / Next buttons around 'Page n of m · N films'; nothing when the list fits on one page."""
    if page.count <= 1:
        if page.total:
            st.caption(f"{page.total:,} {noun.removesuffix('s') if page.total == 1 else noun}")  # "1 rating"
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"{key}-pager"):
        st.button("‹ Previous", key=f"{key}-previous", disabled=page.number == 1, on_click=_move,
                  args=(key, page.offset - page.size))
        st.markdown(f"Page **{page.number}** of {page.count:,} · {page.total:,} {noun}")
        st.button("Next ›", key=f"{key}-next", disabled=page.number == page.count, on_click=_move,
                  args=(key, page.offset + page.size))
