"""CineAI's Streamlit entry point: configuration, the database pool, sign-in, navigation.

Run with `streamlit run app.py` (or `python -m cine_core run` for database + worker + app).
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

st.set_page_config(page_title="CineAI", page_icon="🎬", layout="wide")


def _copy_secrets_to_env() -> None:
    """Top-level string secrets (Streamlit Cloud) become env vars before settings are read."""
    try:
        items = list(st.secrets.items())
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return
    for key, value in items:
        if isinstance(value, str):
            os.environ.setdefault(key.upper(), value)


_copy_secrets_to_env()

from cine_core.config import get_settings  # noqa: E402  (settings must see the secrets)
from cine_core.errors import CineError  # noqa: E402
from ui import context  # noqa: E402
from ui.auth_panel import render_account, require_user  # noqa: E402

settings = get_settings()
if not logging.getLogger().handlers:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

try:
    pool = context.pool()
except CineError as exc:
    st.title("🎬 CineAI")
    st.error(f"CineAI cannot reach its database. {exc}", icon="🛑")
    st.caption("Check DATABASE_URL (or remove it to use the embedded database), then reload this page.")
    st.stop()

user = require_user(settings)  # draws the sign-in form and stops when Supabase Auth needs a login

with st.sidebar:
    offline = [name for name, value in settings.describe_sources().items()
               if value in ("offline catalog", "local engine")]
    if offline:
        st.info(f"Offline mode: using the {' and the '.join(settings.describe_sources()[n] for n in offline)}. "
                "Add TMDB_API_KEY / ANTHROPIC_API_KEY for live data.", icon="📴")
    render_account(user)

navigation = st.navigation(
    [
        st.Page("pages/dashboard.py", title="Today's picks", icon="🎬", default=True),
        st.Page("pages/onboarding.py", title="Get started", icon="👋"),
        st.Page("pages/chat.py", title="Chat", icon="💬"),
        st.Page("pages/taste.py", title="Your taste", icon="📊"),
        st.Page("pages/library.py", title="Library", icon="📚"),
        st.Page("pages/status.py", title="Status", icon="🩺"),
    ]
)
navigation.run()
