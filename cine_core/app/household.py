"""What the sidebar's profile switcher calls: profiles are server-owned, listed and added through functions
granted to the app's own login (app_transaction), no service rights."""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.app.auth import AppUser
from cine_core.config import LOCAL_USER_EMAIL, Settings
from cine_core.db import app_transaction
from cine_core.household import (
    Profile,
    ProfileError,
    ProfilePolicy,
    add_profile,
    check_switch,
    list_profiles,
    profile_policy,
)

log = logging.getLogger(__name__)

__all__ = ["Profile", "ProfileError", "ProfilePolicy", "as_app_user", "create_profile", "household_policy",
           "profiles", "switch_profile"]


def household_policy(settings: Settings, listen_address: str | None) -> ProfilePolicy:
    return profile_policy(listen_address, supabase_auth=settings.supabase_auth)


def as_app_user(profile: Profile) -> AppUser:
    """A profile as the app's user: no login (is_local), its own id, its name."""
    return AppUser(profile.id, LOCAL_USER_EMAIL if profile.is_first else None, is_local=True, name=profile.name)


def profiles(pool: ConnectionPool) -> list[Profile]:
    with app_transaction(pool) as conn:
        return list_profiles(conn)


def create_profile(pool: ConnectionPool, policy: ProfilePolicy, name: str, password: str | None = None) -> AppUser:
    """Add a profile and return it as the user to switch to."""
    if not policy.allowed:
        raise ProfileError(policy.reason)
    with app_transaction(pool) as conn:
        return as_app_user(add_profile(conn, name, password, needs_password=policy.needs_password))


def switch_profile(pool: ConnectionPool, policy: ProfilePolicy, profile_id: str, password: str | None = None) -> AppUser:
    if not policy.allowed:
        raise ProfileError(policy.reason)
    with app_transaction(pool) as conn:
        return as_app_user(check_switch(conn, profile_id, password, needs_password=policy.needs_password))
