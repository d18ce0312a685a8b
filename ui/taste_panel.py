"""'What I've learned about your taste': the profile as removable items."""

from __future__ import annotations

import html

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import actions
from cine_core.app.services import SummaryItem, TasteSummary
from ui.context import run_action


def _sections(summary: TasteSummary) -> list[tuple[str, tuple[SummaryItem, ...]]]:
    return [
        ("🎭 Genres you love", summary.favourite_genres),
        ("🙅 Genres you avoid", summary.disliked_genres),
        ("🎨 Visual style", summary.visual_style),
        ("⏱️ Pacing", (summary.pacing,) if summary.pacing else ()),
        ("🎬 People", summary.people),
        ("💭 Themes and moods", summary.themes + summary.mood_contexts),
        ("📅 Eras", summary.eras),
        ("🆕 Recently learned", summary.recent_learning),
    ]


def render_taste_panel(summary: TasteSummary, *, pool: ConnectionPool, user_id: str, scope: str = "taste") -> None:
    """Each item has a ✕ that removes it for good (and queues a refresh of the picks)."""
    st.subheader("What I've learned about your taste")
    if summary.is_empty:
        st.caption("Nothing yet: rate a few films or tell me about one in the chat.")
        return
    for section, (title, items) in enumerate(_sections(summary)):
        if not items:
            continue
        st.markdown(f"**{title}**")
        for item in items:
            # A row that never wraps: columns stacked on a phone, each ✕ on a line of its own under its label.
            row = st.container(horizontal=True, wrap=False, vertical_alignment="center", gap="xsmall")
            row.markdown(f"<small>{html.escape(item.label)}</small>", unsafe_allow_html=True, width="stretch")
            row.button(
                "✕", key=f"{scope}-forget-{section}-{item.key}", help=f"Forget: {item.label}",
                type="tertiary", on_click=run_action, args=(actions.remove_taste_item, pool, user_id, item.key),
                kwargs={"success": f"Forgotten: {item.label}. Your picks will be refreshed."},
            )
