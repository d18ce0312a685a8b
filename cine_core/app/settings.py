"""What the Settings page and the dashboard call: a person's region, streaming services, weekly email opt-in."""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.app.arrivals import check_notify_url
from cine_core.config import Settings
from cine_core.db import app_transaction, user_transaction
from cine_core.digest.tokens import verify_unsubscribe_token
from cine_core.domain.regions import REGION_NAMES
from cine_core.domain.watch import UserSettings
from cine_core.settings import store

log = logging.getLogger(__name__)

__all__ = ["check_notify_url", "load_user_settings", "region_choices", "region_providers", "save_user_settings",
           "unsubscribe"]

# Offered in the region picker (TMDB has providers for these and more); the configured default is always added.
COMMON_REGIONS = ("US", "GB", "CA", "AU", "NZ", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "ES", "PT", "IT", "SE",
                  "NO", "DK", "FI", "PL", "BR", "MX", "AR", "IN", "JP", "KR")


def region_choices(settings: Settings, current: str | None = None) -> list[str]:
    """The picker's regions: the configured default first, then the person's own, the common ones, then every
    region TMDB has by country name (the picker shows "Argentina (AR)": typing either finds it)."""
    first = [settings.default_region] + ([current.upper()] if current else [])
    everywhere = sorted(REGION_NAMES, key=REGION_NAMES.__getitem__)
    return list(dict.fromkeys(first + list(COMMON_REGIONS) + everywhere))


def load_user_settings(pool: ConnectionPool, user_id: str, settings: Settings) -> UserSettings:
    """The person's saved settings, or the defaults (region from CINE_REGION / TMDB_REGION)."""
    with user_transaction(pool, user_id) as conn:
        return store.load_settings(conn, user_id, default_region=settings.default_region)


def save_user_settings(pool: ConnectionPool, user_settings: UserSettings) -> None:
    """Store the person's settings in their own transaction (RLS: nobody else's row)."""
    with user_transaction(pool, user_settings.user_id) as conn:
        store.save_settings(conn, user_settings)


def region_providers(pool: ConnectionPool, user_id: str, region: str) -> list[str]:
    """Streaming services known in `region` from stored films (empty offline: no provider data)."""
    with user_transaction(pool, user_id) as conn:
        return store.known_providers(conn, region)


def unsubscribe(pool: ConnectionPool, token: str, settings: Settings) -> bool | None:
    """Switch the weekly email off from a signed link, no sign-in: True when switched off now, False when it
    already was, None when the link is not valid (or no secret is configured)."""
    if settings.cine_secret_key is None:
        return None
    user_id = verify_unsubscribe_token(token, settings.cine_secret_key.get_secret_value())
    if user_id is None:
        return None
    # The app's own login through a function granted to it (the visitor is not signed in; the link's signature
    # was checked above): no service rights.
    with app_transaction(pool) as conn:
        switched_off = bool(conn.execute("select public.unsubscribe_weekly_digest(%s) as off", (user_id,)).fetchone()["off"])
    log.info("Weekly email %s for %s from an unsubscribe link", "switched off" if switched_off else "already off",
             user_id)
    return switched_off
