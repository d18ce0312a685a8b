"""CineAI's Streamlit entry point: configuration, the database pool, sign-in, navigation.

Run with `streamlit run app.py` (or `python -m cine_core run` for database + worker + app).
Every run ends in `st.navigation`, even the sign-in and database-error screens: if a run stopped
before it, Streamlit would fall back to running files in pages/ directly, skipping the checks here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager

APP_PAGES = [
    ("pages/dashboard.py", "Today's picks", "🎬"),
    ("pages/onboarding.py", "Get started", "👋"),
    ("pages/chat.py", "Chat", "💬"),
    ("pages/taste.py", "Your taste", "📊"),
    ("pages/library.py", "Library", "📚"),
    ("pages/diary.py", "Diary", "📔"),
    ("pages/night.py", "Movie night", "🍿"),
    ("pages/settings.py", "Settings", "⚙️"),
    ("pages/status.py", "Status", "🩺"),
]
# Reached from a film's title or a person's name, not from the menu.
HIDDEN_PAGES = [("pages/film.py", "Film", "🎞️"), ("pages/person.py", "People", "🎭")]

# A film's title link wraps instead of ending in "…": "Captain America: Civil War (20…" hid the year on cards.
# On a phone: every button and link at least 44 px (fingers, not a mouse pointer; 👍 was 20 px), and no chart
# toolbar (it covered the chart's title and a finger cannot hover it away).
PAGE_STYLE = """<style>
[data-testid='stPageLink-NavLink'] span, [data-testid='stPageLink-NavLink'] p
  {white-space: normal; overflow: visible; text-overflow: clip;}
@media (max-width: 640px) {
  [data-testid='stMain'] button, [data-testid='stSidebar'] button, [data-testid='stPageLink-NavLink'],
  [data-testid='stSidebarNav'] a {min-height: 44px; min-width: 44px;}
  .modebar-container {display: none !important;}
  /* A film card: the poster beside its text, not a screen-wide poster above it (12 picks were 8,000 px). */
  div[class*='st-key-card-'] {display: grid !important; grid-template-columns: 6.5rem minmax(0, 1fr);
    column-gap: 0.75rem; align-items: start;}
  div[class*='st-key-card-'] > div:first-child {grid-row: 1 / span 8;}
  div[class*='st-key-card-'] > div {grid-column-end: span 1;}
  /* A shelf is a row of tiles that scrolls sideways, not six screen-wide posters stacked. */
  div[class*='st-key-shelf-'] [data-testid='stHorizontalBlock'] {flex-wrap: nowrap !important; overflow-x: auto;}
  div[class*='st-key-shelf-'] [data-testid='stColumn'] {min-width: 7.5rem !important; flex: 0 0 7.5rem !important;}
}
</style>"""

st.set_page_config(page_title="CineAI", page_icon="🎬", layout="wide")
if PagesManager.uses_pages_directory:
    # The server's first run: Streamlit's pages/ discovery has just put the raw file names ("dashboard",
    # "onboarding") in the sidebar, and the real menu comes only after the imports and the database below
    # (seconds on a cold start). Hide the menu until then.
    st.navigation([st.Page(path, title=title, default=path == "pages/dashboard.py")
                   for path, title, _ in APP_PAGES + HIDDEN_PAGES], position="hidden")
st.html(PAGE_STYLE)


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
from cine_core.domain.errors import CineError  # noqa: E402
from ui import context  # noqa: E402
from ui.auth_panel import render_account, sign_in_page, signed_in_user  # noqa: E402
from ui.unsubscribe import requested_token, unsubscribe_page  # noqa: E402

settings = get_settings()
if not logging.getLogger().handlers:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

database_problem: CineError | None = None
try:
    context.pool()
except CineError as exc:
    database_problem = exc


def database_error_page() -> None:
    st.title("🎬 CineAI")
    st.error(f"CineAI cannot reach its database. {database_problem}", icon="🛑")
    st.caption("Check DATABASE_URL (or remove it to use the embedded database), then reload this page.")


user = None if database_problem else signed_in_user(settings)
if database_problem:
    pages = [st.Page(database_error_page, title="Database unavailable", icon="🛑")]
elif requested_token():  # an email's unsubscribe link works without signing in
    pages = [st.Page(unsubscribe_page, title="Unsubscribe", icon="✉️")]
elif user is None:
    pages = [st.Page(sign_in_page, title="Sign in", icon="🔑")]
else:
    pages = [st.Page(path, title=title, icon=icon, default=index == 0)
             for index, (path, title, icon) in enumerate(APP_PAGES)]
    pages += [st.Page(path, title=title, icon=icon, visibility="hidden") for path, title, icon in HIDDEN_PAGES]
    context.warm_search_index()
    context.warm_scorer()
    with st.sidebar:
        sources = settings.describe_sources()
        offline = [value for value in (sources["movies"], sources["llm"]) if value in ("offline catalog", "local engine")]
        if offline:
            st.info(f"Offline mode: using the {' and the '.join(offline)}. "
                    "Add TMDB_API_KEY / ANTHROPIC_API_KEY for live data.", icon="📴")
        render_account(user)

st.session_state[context.NAVIGATION_READY] = True
navigation = st.navigation(pages, position="sidebar" if user else "hidden")
# A deep link opened on a fresh session ran its page file without app.py (see ui.context.page_setup);
# now that navigation exists, go back to the page the user asked for.
wanted = st.session_state.pop(context.WANTED_PAGE, None)
if wanted and user is not None:
    wanted_file, wanted_query = wanted
    for page in pages:
        if page.url_path and page.url_path == Path(wanted_file).stem:
            st.switch_page(page, query_params=wanted_query)
navigation.run()
