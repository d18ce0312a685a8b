"""List, add and switch household profiles (the app's own login, through functions granted to it, or a
service connection). SQL in profiles.sql.

The personal-mode user is the household's first profile ('Me'); every other profile is a new `auth.users`
row with a `household_profiles` row beside it, so deleting the account (cine_core.account) takes both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg

from cine_core.config import LOCAL_USER_ID
from cine_core.db import load_sql
from cine_core.domain.errors import CineError

log = logging.getLogger(__name__)

DEFAULT_NAME = "Me"
MAX_NAME_CHARS = 40
MIN_PASSWORD_CHARS = 8
MAX_PROFILES = 12  # a household, not a user base: past this, sign-in (Supabase Auth) is the way


class ProfileError(CineError):
    """The profile could not be added or switched to."""


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    name: str
    has_password: bool
    is_first: bool = False  # the personal-mode user


def _rows(conn: psycopg.Connection) -> list[dict]:
    return conn.execute(load_sql(__name__, "list"),
                        {"default_name": DEFAULT_NAME, "local_id": LOCAL_USER_ID}).fetchall()


def list_profiles(conn: psycopg.Connection) -> list[Profile]:
    """The household's profiles, the personal-mode user first."""
    return [Profile(r["id"], r["name"], bool(r["has_password"]), bool(r["is_first"])) for r in _rows(conn)]


def _hash(password: str) -> str:
    from argon2 import PasswordHasher  # lazy: only needed when the app listens beyond localhost

    return PasswordHasher().hash(password)


def add_profile(conn: psycopg.Connection, name: str, password: str | None, *, needs_password: bool) -> Profile:
    """A new profile (a new auth.users row); its name must be new to the household."""
    name = " ".join((name or "").split())
    if not name:
        raise ProfileError("Give the profile a name")
    if len(name) > MAX_NAME_CHARS:
        raise ProfileError(f"A profile name has at most {MAX_NAME_CHARS} characters")
    existing = list_profiles(conn)
    if any(p.name.casefold() == name.casefold() for p in existing):
        raise ProfileError(f"There is already a profile called {name}")
    if len(existing) >= MAX_PROFILES:
        raise ProfileError(f"A household has at most {MAX_PROFILES} profiles; with more people, use sign-in")
    if needs_password and len(password or "") < MIN_PASSWORD_CHARS:
        raise ProfileError(f"This app is reachable from your network: the profile needs a password of at least "
                           f"{MIN_PASSWORD_CHARS} characters")
    user_id = conn.execute(load_sql(__name__, "add"), {"name": name, "hash": _hash(password) if password else None}
                           ).fetchone()["id"]
    log.info("Added household profile %s", user_id)
    return Profile(user_id, name, bool(password))


def check_switch(conn: psycopg.Connection, profile_id: str, password: str | None, *,
                 needs_password: bool) -> Profile:
    """The profile to switch to, once its password checks out (when passwords are needed)."""
    row = next((r for r in _rows(conn) if r["id"] == profile_id), None)
    if row is None:
        raise ProfileError("That profile no longer exists")
    profile = Profile(row["id"], row["name"], bool(row["has_password"]), bool(row["is_first"]))
    if not needs_password or profile.is_first:
        return profile  # the personal-mode user is open to whoever reaches the app, as it always was
    if row["password_hash"] is None:
        raise ProfileError(f"{profile.name} has no password: open CineAI on this computer (HOST=127.0.0.1) to use it")
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        PasswordHasher().verify(row["password_hash"], password or "")
    except (VerificationError, InvalidHashError) as exc:
        raise ProfileError(f"Wrong password for {profile.name}") from exc
    return profile
