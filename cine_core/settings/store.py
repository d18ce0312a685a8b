"""Read and write `public.user_settings`; the providers a region is known to have. SQL in store.sql."""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from cine_core.db import load_sql
from cine_core.domain.watch import UserSettings

log = logging.getLogger(__name__)



def _row_to_settings(row: dict[str, Any], default_region: str) -> UserSettings:
    return UserSettings(
        user_id=row["user_id"], region=row["region"] or default_region,
        streaming_services=tuple(row["streaming_services"] or ()), weekly_digest=bool(row["weekly_digest"]),
        digest_email=row["digest_email"], digest_day=row["digest_day"], digest_hour=row["digest_hour"],
        notify_url=row.get("notify_url"),
    )


def load_settings(conn: psycopg.Connection, user_id: str, *, default_region: str) -> UserSettings:
    """The person's settings, or the defaults (region `default_region`, no services, no email)."""
    row = conn.execute(load_sql(__name__, "load"), {"user_id": user_id}).fetchone()
    return _row_to_settings(row, default_region) if row else UserSettings(str(user_id), default_region)


def settings_of_users(conn: psycopg.Connection, user_ids: list[str], *, default_region: str) -> dict[str, UserSettings]:
    """Settings of several people at once (service connection); people without a row are left out."""
    rows = conn.execute(load_sql(__name__, "many"), {"user_ids": list(user_ids)}).fetchall()
    return {row["user_id"]: _row_to_settings(row, default_region) for row in rows}


def save_settings(conn: psycopg.Connection, settings: UserSettings) -> None:
    """Insert or replace the person's row (the caller's transaction decides whose rows it may touch)."""
    conn.execute(load_sql(__name__, "save"), {
        "user_id": settings.user_id, "region": settings.region.upper() if settings.region else None,
        "streaming_services": list(settings.streaming_services), "weekly_digest": settings.weekly_digest,
        "digest_email": (settings.digest_email or "").strip() or None,
        "digest_day": settings.digest_day, "digest_hour": settings.digest_hour,
        "notify_url": (settings.notify_url or "").strip() or None,
    })
    log.info("Saved settings of %s (region %s, %d service(s), digest %s)", settings.user_id, settings.region,
             len(settings.streaming_services), "on" if settings.weekly_digest else "off")


def streaming_services(conn: psycopg.Connection, user_id: str, *, default_region: str) -> tuple[str, tuple[str, ...]]:
    """(region, services) of one person; no services when they never said which they have."""
    current = load_settings(conn, user_id, default_region=default_region)
    return current.region, current.streaming_services


def known_providers(conn: psycopg.Connection, region: str) -> list[str]:
    """Names of the streaming services stored films offer in `region`, most films first."""
    return [row["name"] for row in conn.execute(load_sql(__name__, "known_providers"),
                                                {"region": region.upper()}).fetchall()]
