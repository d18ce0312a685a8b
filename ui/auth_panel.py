"""Sign-in / sign-up with Supabase Auth when configured; otherwise everyone is the local user."""

from __future__ import annotations

import streamlit as st
from streamlit import config as streamlit_config

from cine_core.app import auth, household
from cine_core.app.auth import LOCAL_USER, AppUser
from cine_core.config import Settings, get_settings
from cine_core.domain.errors import CineError
from ui import context
from ui.context import current_user, set_user

_CLIENT_KEY = "cine_auth_client"  # one supabase client per browser session, never shared
_SHOWN_KEY = "profile-choice-user"  # the session's profile when the chooser was last set to it


def _client(settings: Settings):
    if _CLIENT_KEY not in st.session_state:
        st.session_state[_CLIENT_KEY] = auth.new_auth_client(settings)
    return st.session_state[_CLIENT_KEY]


def signed_in_user(settings: Settings) -> AppUser | None:
    """The user of this session: the local user without Supabase Auth, else whoever signed in (or None)."""
    user = current_user()
    if not auth.auth_required(settings):
        return user if user.is_local else LOCAL_USER  # the household profile chosen in this session
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


def _policy(settings: Settings) -> household.ProfilePolicy:
    return household.household_policy(settings, streamlit_config.get_option("server.address"))


def _switch(pool, policy: household.ProfilePolicy) -> None:
    chosen = st.session_state.get("profile-choice")
    password = st.session_state.get("profile-password") if policy.needs_password else None
    try:
        set_user(household.switch_profile(pool, policy, chosen, password))
    except CineError as exc:
        st.session_state["profile-error"] = str(exc)
    st.session_state.pop("profile-password", None)


def _add(pool, policy: household.ProfilePolicy) -> None:
    name = st.session_state.get("profile-new-name", "")
    password = st.session_state.get("profile-new-password") if policy.needs_password else None
    try:
        set_user(household.create_profile(pool, policy, name, password))
    except CineError as exc:
        st.session_state["profile-error"] = str(exc)
        return
    st.session_state.pop("profile-new-name", None)
    st.session_state.pop("profile-new-password", None)


def render_profiles(pool, settings: Settings, user: AppUser) -> None:
    """Netflix-style: who is watching, switch, add a profile. Each profile is its own account (own ratings)."""
    policy = _policy(settings)
    if not policy.allowed:
        st.caption(f"Personal mode: no login needed. {policy.reason}")
        return
    everyone = household.profiles(pool)
    by_id = {p.id: p for p in everyone}
    if user.id not in by_id:  # the profile was deleted (here or in another tab): back to the first one
        set_user(None)
        user = LOCAL_USER
    if len(everyone) > 1:
        ids = list(by_id)
        # The chooser follows every change of the session's profile (a switch, a profile just added). With
        # passwords it otherwise keeps the profile picked until its password is given.
        if (not policy.needs_password or st.session_state.get(_SHOWN_KEY) != user.id
                or st.session_state.get("profile-choice") not in by_id):
            st.session_state["profile-choice"] = user.id
            st.session_state[_SHOWN_KEY] = user.id
        st.selectbox("Who's watching?", ids, key="profile-choice",
                     format_func=lambda i: f"{by_id[i].name}{' 🔒' if by_id[i].has_password else ''}",
                     on_change=None if policy.needs_password else _switch, args=(pool, policy))
        chosen = st.session_state.get("profile-choice", user.id)
        if policy.needs_password and chosen != user.id:
            st.text_input("Password", type="password", key="profile-password")
            st.button("Switch", key="profile-switch", on_click=_switch, args=(pool, policy))
    else:
        st.caption(f"Watching as **{by_id[user.id].name if user.id in by_id else 'Me'}**.")
    if message := st.session_state.pop("profile-error", None):
        st.error(message)
    with st.popover("➕ Add a profile", use_container_width=True):
        st.caption("Each profile has its own ratings, picks and settings, and can start a movie night with another.")
        st.text_input("Name", key="profile-new-name", max_chars=40)
        if policy.needs_password:
            st.text_input("Password (8 characters or more)", type="password", key="profile-new-password")
        st.button("Add and switch to it", key="profile-add", on_click=_add, args=(pool, policy), type="primary")
    st.caption(policy.reason)


def render_account(user: AppUser) -> None:
    if user.is_local:
        render_profiles(context.pool(), get_settings(), user)
        return
    st.caption(f"Signed in as {user.email}")
    st.button("Sign out", key="sign-out", on_click=_sign_out)


def movie_night_needs(pool, settings: Settings, user: AppUser) -> str | None:
    """Why a movie night cannot start for this person yet (None: it can): without sign-in it takes two
    household profiles."""
    if not user.is_local:
        return None
    policy = _policy(settings)
    if not policy.allowed:
        return ("A movie night needs two accounts. Without sign-in everyone here is the same local user, and "
                f"profiles are off: {policy.reason} Or set SUPABASE_URL and SUPABASE_ANON_KEY, then each of you "
                "signs in with their own account.")
    if len(household.profiles(pool)) < 2:
        return ("A movie night needs two people, each with their own profile: add one with **➕ Add a profile** in "
                "the sidebar. Then one of you invites here, the other switches to their profile and joins with the "
                "code.")
    return None
