"""Sign-in / sign-up with Supabase Auth when configured; otherwise everyone is the local user."""

from __future__ import annotations

import streamlit as st

from cine_core.app import auth
from cine_core.app.auth import LOCAL_USER, AppUser
from cine_core.config import Settings, get_settings
from cine_core.domain.errors import CineError
from ui.context import current_user, set_user

_CLIENT_KEY = "cine_auth_client"  # one supabase client per browser session, never shared


def _client(settings: Settings):
    if _CLIENT_KEY not in st.session_state:
        st.session_state[_CLIENT_KEY] = auth.new_auth_client(settings)
    return st.session_state[_CLIENT_KEY]


def signed_in_user(settings: Settings) -> AppUser | None:
    """The user of this session: the local user without Supabase Auth, else whoever signed in (or None)."""
    if not auth.auth_required(settings):
        return LOCAL_USER
    user = current_user()
    return None if user.is_local else user


def sign_in_page() -> None:
    """The only page before sign-in (app.py still calls st.navigation, so no page can be run directly)."""
    settings = get_settings()
    st.title("🎬 CineAI")
    sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Create an account"])
    with sign_in_tab, st.form("sign-in"):
        email = st.text_input("Email", key="sign-in-email")
        password = st.text_input("Password", type="password", key="sign-in-password")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                set_user(auth.sign_in(_client(settings), email, password))
                st.rerun()
            except CineError as exc:
                st.error(str(exc))
    with sign_up_tab, st.form("sign-up"):
        email = st.text_input("Email", key="sign-up-email")
        password = st.text_input("Password", type="password", key="sign-up-password")
        if st.form_submit_button("Create account"):
            try:
                result = auth.sign_up(_client(settings), email, password)
            except CineError as exc:
                st.error(str(exc))
            else:
                if result.needs_confirmation:
                    st.success("Check your email to confirm the account, then sign in.")
                else:
                    set_user(result.user)
                    st.rerun()


def _sign_out() -> None:
    client = st.session_state.pop(_CLIENT_KEY, None)
    if client is not None:
        auth.sign_out(client)
    set_user(None)


def render_account(user: AppUser) -> None:
    if user.is_local:
        st.caption("Personal mode: no login needed.")
        return
    st.caption(f"Signed in as {user.email}")
    st.button("Sign out", key="sign-out", on_click=_sign_out)
