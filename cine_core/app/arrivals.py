"""What the dashboard, the Library and Settings call for "now on your services" (issue 25.2)."""

from __future__ import annotations

import logging
import warnings

from psycopg_pool import ConnectionPool

from cine_core.alerts import Arrival, dismiss_arrivals, new_arrivals, streamable_watchlist_ids
from cine_core.config import Settings
from cine_core.db import user_transaction
from cine_core.domain.errors import DataError
from cine_core.settings import load_settings

log = logging.getLogger(__name__)

__all__ = ["Arrival", "arrivals_notice", "check_notify_url", "dismiss_notice", "on_my_services_now"]


def arrivals_notice(pool: ConnectionPool, user_id: str) -> list[Arrival]:
    """Films that arrived on the person's services and were not dismissed yet, newest first."""
    with user_transaction(pool, user_id) as conn:
        return new_arrivals(conn, user_id)


def dismiss_notice(pool: ConnectionPool, user_id: str) -> int:
    with user_transaction(pool, user_id) as conn:
        return dismiss_arrivals(conn, user_id)


def on_my_services_now(pool: ConnectionPool, settings: Settings, user_id: str) -> set[int]:
    """Ids of the person's watchlist films streaming on their services now (empty without services): the
    Library's "on my services now" filter."""
    with user_transaction(pool, user_id) as conn:
        mine = load_settings(conn, user_id, default_region=settings.default_region)
        return streamable_watchlist_ids(conn, user_id, mine.region, mine.streaming_services)


def check_notify_url(url: str | None) -> str | None:
    """The URL cleaned, or DataError when Apprise does not know its kind (nothing is sent here)."""
    url = (url or "").strip()
    if not url:
        return None
    import apprise

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Apprise's email plugin imports imghdr (3.11-3.12)
        if not apprise.Apprise().add(url):
            raise DataError("That notification URL is not one Apprise knows (e.g. ntfy://topic, "
                            "discord://id/token, tgram://bottoken/chat, mailto://user:pass@example.com)")
    return url
