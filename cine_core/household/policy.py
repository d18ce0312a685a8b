"""Whether profiles may be offered, and with passwords or not, from the address the app listens on."""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class ProfilePolicy:
    allowed: bool
    needs_password: bool
    reason: str  # said in the sidebar: why passwords are asked, or why there are no profiles


def argon2_available() -> bool:
    return importlib.util.find_spec("argon2") is not None


def profile_policy(listen_address: str | None, *, supabase_auth: bool, argon2: bool | None = None) -> ProfilePolicy:
    """Profiles without passwords only when the app is reachable from this computer alone.

    Streamlit with no address set listens on every interface, so None counts as beyond localhost."""
    if supabase_auth:
        return ProfilePolicy(False, False, "Everyone signs in with their own account (Supabase Auth).")
    if (listen_address or "").strip().lower() in LOCAL_ADDRESSES:
        return ProfilePolicy(True, False, "This app listens on this computer only, so profiles need no password.")
    if argon2_available() if argon2 is None else argon2:
        return ProfilePolicy(True, True, "This app is reachable from your network (HOST="
                             f"{listen_address or '0.0.0.0'}): every profile needs a password.")
    return ProfilePolicy(False, False, "No profiles: this app is reachable from your network (HOST="
                         f"{listen_address or '0.0.0.0'}) and profiles would need passwords, but argon2-cffi is not "
                         "installed. Run it with HOST=127.0.0.1, or install requirements.txt.")
