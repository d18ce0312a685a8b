"""Who is using the app: Supabase Auth (email + password) when configured, else the one local user.

The supabase client keeps the session in memory, so the app holds one client per browser session
(in `st.session_state`), never a process-wide cached one. Page queries then run in
`db.user_transaction(pool, user.id)`: the user's id filter plus RLS claims.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from cine_core.config import LOCAL_USER_EMAIL, LOCAL_USER_ID, Settings
from cine_core.domain.errors import CineError

log = logging.getLogger(__name__)

AUTH_TIMEOUT_SECONDS = 10.0
MIN_PASSWORD_LENGTH = 6  # Supabase's default minimum


class AuthError(CineError):
    """Sign-in failed: check the email and password."""


@dataclass(frozen=True, slots=True)
class AppUser:
    """The person using the app."""

    id: str
    email: str | None
    is_local: bool = False  # no login: the local user or a household profile (cine_core.household)
    name: str | None = None  # a household profile's name; None for accounts that sign in


LOCAL_USER = AppUser(LOCAL_USER_ID, LOCAL_USER_EMAIL, is_local=True)


@dataclass(frozen=True, slots=True)
class SignUpResult:
    user: AppUser
    needs_confirmation: bool  # the project requires confirming the email before signing in


def auth_required(settings: Settings) -> bool:
    """True when users sign in with Supabase; False means everyone is the local user."""
    return settings.supabase_auth


def new_auth_client(settings: Settings, *, http_client: httpx.Client | None = None):
    """A fresh supabase client for one browser session. `http_client` is the test seam."""
    if not settings.supabase_auth:
        raise AuthError("Supabase Auth is not configured (SUPABASE_URL and SUPABASE_ANON_KEY)")
    from supabase import ClientOptions, create_client

    options = ClientOptions(auto_refresh_token=False, persist_session=True)
    if http_client is not None:
        options.httpx_client = http_client
    return create_client(settings.supabase_url, settings.supabase_anon_key.get_secret_value(), options)


def _check_credentials(email: str, password: str) -> tuple[str, str]:
    email = (email or "").strip()
    if "@" not in email:
        raise AuthError("Enter a valid email address")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters")
    return email, password


def _user_from(response) -> AppUser:
    user = getattr(response, "user", None)
    if user is None:
        raise AuthError("Supabase returned no user")
    return AppUser(str(user.id), getattr(user, "email", None))


def _call_auth(what: str, request: Callable[[dict], object], email: str, password: str):
    """Validate the form, call Supabase Auth once, translate its errors at this boundary."""
    from supabase_auth.errors import AuthError as SupabaseAuthError

    email, password = _check_credentials(email, password)
    try:
        return request({"email": email, "password": password})
    except SupabaseAuthError as exc:
        raise AuthError(f"{what} failed: {exc.message}") from exc
    except httpx.HTTPError as exc:
        raise AuthError(f"Cannot reach Supabase Auth: {exc}") from exc


def sign_in(client, email: str, password: str) -> AppUser:
    """Email + password sign-in; raises AuthError with Supabase's reason."""
    user = _user_from(_call_auth("Sign-in", lambda form: client.auth.sign_in_with_password(form), email, password))
    log.info("Signed in user %s", user.id)
    return user


def sign_up(client, email: str, password: str) -> SignUpResult:
    """Create an account; the project may require an email confirmation before sign-in."""
    response = _call_auth("Sign-up", lambda form: client.auth.sign_up(form), email, password)
    return SignUpResult(_user_from(response), needs_confirmation=getattr(response, "session", None) is None)


def sign_out(client) -> None:
    """End the session; a network failure still signs out locally."""
    from supabase_auth.errors import AuthError as SupabaseAuthError

    try:
        client.auth.sign_out()
    except (SupabaseAuthError, httpx.HTTPError):
        log.warning("Supabase sign-out call failed; the local session is cleared anyway", exc_info=True)
