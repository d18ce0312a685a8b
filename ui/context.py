"""The app's shared state: settings, the pooled connection, the signed-in user, flash messages."""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app.auth import LOCAL_USER, AppUser
from cine_core.app.film import warm_similar_films
from cine_core.app.services import open_app_pool, search_catalog_ids
from cine_core.app.shelves import warm_matcher
from cine_core.config import Settings, get_settings
from cine_core.domain.errors import CineError
from cine_core.memory import freeze_after

log = logging.getLogger(__name__)

APP_POOL_MAX_SIZE = 4
_FLASH_KEY = "_cine_flash"
_TOAST_KEY = "_cine_toasts"
_USER_KEY = "cine_user"
_open_pools: list[ConnectionPool] = []  # so tests (and a clean shutdown) can close what the cache opened


@st.cache_resource(show_spinner=False)
def _pool_for(configured_url_digest: str | None, data_dir: str) -> ConnectionPool:
    """One pool per database for the whole server process (shared by all sessions)."""
    settings = get_settings()
    log.info("Opening the app's connection pool (data dir %s)", data_dir)
    opened = open_app_pool(settings, max_size=APP_POOL_MAX_SIZE)
    _open_pools.append(opened)
    return opened


@st.cache_resource(show_spinner=False)
def warm_search_index() -> threading.Thread:
    """Build the catalog's title index in the background, once per server process (about a second), so the
    first library search does not pay for it."""
    thread = threading.Thread(target=search_catalog_ids, args=("warm-up",), kwargs={"limit": 1}, daemon=True,
                              name="warm-search-index")
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def _warm_ranker() -> threading.Thread | None:
    return warm_similar_films()  # the catalog ranker behind "More like this" and chat suggestions (~3 s)


def _import_scorer_and_chat() -> None:
    warm_matcher()
    # The chat pipeline (anthropic's types, scikit-learn): ~6 s of imports that the first Chat visit paid
    # before its title appeared (over 30 s on a busy 2-core machine). Imported here, the page finds them loaded.
    importlib.import_module("cine_core.chat")


@st.cache_resource(show_spinner=False)
def _scorer_import() -> threading.Thread:
    thread = threading.Thread(target=_import_scorer_and_chat, daemon=True, name="warm-scorer")
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def warm_scorer() -> threading.Thread:
    """Import the local scorer in the background, once per server process: the dashboard's shelves need it, and
    importing it inside the first page run was most of the first visit's settle (17 s on a busy 2-core machine).
    Then, once every warm-up is done, the long-lived objects are frozen (`freeze_after_warm_up`)."""
    thread = _scorer_import()
    freeze_after_warm_up()
    return thread


@st.cache_resource(show_spinner=False)
def freeze_after_warm_up() -> threading.Thread:
    """Once per server process, when the warm-ups are done: `gc.freeze()` the catalog, indexes and scorer.

    Streamlit's full `gc.collect(2)` after every script run (`runner.postScriptGC`, left on) then walks only
    what was made since: ~0 ms instead of ~250 ms of CPU per click with the catalog in memory.
    """
    return freeze_after([warm_search_index(), _warm_ranker(), _scorer_import()])


def close_pools() -> None:
    """Close every pool the app opened and forget them (tests switch databases between runs)."""
    _pool_for.clear()
    while _open_pools:
        _open_pools.pop().close()


def settings() -> Settings:
    return get_settings()


def pool() -> ConnectionPool:
    """The process-wide pool; raises DatabaseUnavailable (a CineError) if the DB cannot be reached."""
    current = get_settings()
    # The cache key is a digest: the URL may hold a password, and cache keys can reach debug output.
    url = current.database_url.get_secret_value() if current.database_url else None
    digest = hashlib.sha256(url.encode()).hexdigest() if url else None
    return _pool_for(digest, str(current.cine_data_dir))


def current_user() -> AppUser:
    """The signed-in user, or the local user when Supabase Auth is not configured."""
    return st.session_state.get(_USER_KEY) or LOCAL_USER


def set_user(user: AppUser | None) -> None:
    if user is None:
        st.session_state.pop(_USER_KEY, None)
    else:
        st.session_state[_USER_KEY] = user


def flash(kind: str, message: str) -> None:
    """Queue a message for the top of the next run (callbacks run before the page is drawn)."""
    st.session_state.setdefault(_FLASH_KEY, []).append((kind, message))


def toast(message: str, icon: str = "✅") -> None:
    """Queue a toast: feedback where the person is looking (the corner of the screen), not at the top of a
    page they may have scrolled far down (a card rated at the bottom of onboarding, a library row on page 7)."""
    st.session_state.setdefault(_TOAST_KEY, []).append((message, icon))


def show_toasts() -> None:
    """Show queued toasts; a fragment calls it (its reruns skip the page's show_flashes)."""
    for message, icon in st.session_state.pop(_TOAST_KEY, []):
        st.toast(message, icon=icon)


def show_flashes() -> None:
    show_toasts()
    for kind, message in st.session_state.pop(_FLASH_KEY, []):
        if kind == "error":
            st.error(message, icon="⚠️")
        elif kind == "warning":
            st.warning(message)
        else:
            st.success(message)


def run_action(action: Callable[..., Any], *args: Any, success: str | None = None, **kwargs: Any) -> Any:
    """Run a cine_core action from a widget callback; a CineError becomes an error message, not a trace."""
    try:
        result = action(*args, **kwargs)
    except CineError as exc:
        log.warning("Action %s failed: %s", getattr(action, "__name__", action), exc)
        flash("error", str(exc))
        return None
    if success:
        flash("success", success)
    return result


def run_with_toast(action: Callable[..., Any], *args: Any, done: str | None = None, **kwargs: Any) -> Any:
    """`run_action` for lists drawn in fragments: the outcome (or the error) is a toast where the person is
    looking, since a fragment's rerun does not redraw the page's flash messages."""
    try:
        result = action(*args, **kwargs)
    except CineError as exc:
        log.warning("Action %s failed: %s", getattr(action, "__name__", action), exc)
        toast(str(exc), icon="⚠️")
        return None
    if done:
        toast(done)
    return result


@contextlib.contextmanager
def guarded(what: str = "Loading this page") -> Iterator[None]:
    """Show a CineError as `st.error` and carry on with the rest of the page."""
    try:
        yield
    except CineError as exc:
        log.warning("%s failed: %s", what, exc)
        st.error(f"{what} failed: {exc}", icon="⚠️")


NAVIGATION_READY = "_cine_navigation_ready"
WANTED_PAGE = "_cine_wanted_page"


def not_found(title: str, message: str) -> None:
    """A page whose film or person does not exist: say so, offer the way back, stop."""
    st.title(title)
    st.info(message)
    st.page_link("pages/dashboard.py", label="Back to today's picks", icon="🎬")
    st.stop()


def page_setup() -> tuple[ConnectionPool, AppUser]:
    """What every page calls first: the pool and the signed-in user, or a message and a stop.

    app.py already checks both, but Streamlit can run a file in pages/ directly (its pages-directory
    fallback, e.g. a deep link like /status on a fresh session), so each page re-checks: no page ever
    queries without a database and a user. On such a fresh session it first hands over to app.py, which
    builds the real navigation and comes back to this page.
    """
    if not st.session_state.get(NAVIGATION_READY):
        # The page and its query (e.g. /film?id=603, a link from an email) survive the hand-over.
        st.session_state[WANTED_PAGE] = (sys._getframe(1).f_code.co_filename, st.query_params.to_dict())
        st.switch_page("app.py")
    try:
        shared_pool = pool()
    except CineError as exc:
        st.error(f"CineAI cannot reach its database. {exc}", icon="🛑")
        st.stop()
    user = current_user()
    if get_settings().supabase_auth and user.is_local:
        st.warning("Please sign in to see your films.", icon="🔑")
        st.stop()
    return shared_pool, user
