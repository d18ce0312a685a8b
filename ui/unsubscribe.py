"""The page an email's unsubscribe link opens (`/?unsubscribe=<token>`): works without signing in."""

from __future__ import annotations

import streamlit as st

from cine_core.app import settings as user_settings
from cine_core.config import get_settings
from cine_core.domain.errors import CineError
from ui import context

QUERY_PARAMETER = "unsubscribe"


def requested_token() -> str | None:
    """The token of an unsubscribe link, when this visit came from one."""
    return st.query_params.get(QUERY_PARAMETER) or None


def unsubscribe_page() -> None:
    st.title("🎬 CineAI")
    token = requested_token() or ""
    try:
        result = user_settings.unsubscribe(context.pool(), token, get_settings())
    except CineError as exc:
        st.error(f"Unsubscribing failed: {exc}. Please try the link again later.", icon="⚠️")
        return
    if result is None:
        st.error("This unsubscribe link is not valid. You can switch the weekly email off in Settings.", icon="⚠️")
    elif result:
        st.success("You are unsubscribed: no more weekly emails. You can switch them back on in Settings.", icon="✅")
    else:
        st.info("You were already unsubscribed from the weekly email.", icon="✉️")
