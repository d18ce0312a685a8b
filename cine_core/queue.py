"""The refresh queue: the only code that touches `recommendation_refresh_queue`."""

from __future__ import annotations

import logging

import psycopg

from cine_core.models import TriggerType

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "recommendation_refresh"


def enqueue(conn: psycopg.Connection, user_id: str, trigger_type: TriggerType | str) -> bool:
    """Ask for a refresh of one user's picks; True if a new pending job was created.

    A pending job for the user already covers this request (bursts coalesce). Runs in the caller's
    transaction with service rights (the queue has no grants for app roles).
    """
    row = conn.execute(
        "insert into public.recommendation_refresh_queue (user_id, trigger_type) values (%s, %s)"
        " on conflict (user_id) where status = 'pending' do nothing returning id",
        (user_id, str(TriggerType(trigger_type))),
    ).fetchone()
    conn.execute("select pg_notify(%s, %s)", (NOTIFY_CHANNEL, str(user_id)))
    return row is not None


def request_refresh(conn: psycopg.Connection, trigger_type: TriggerType | str) -> bool:
    """enqueue() for code running inside db.user_transaction (role authenticated, RLS claims set)."""
    row = conn.execute("select public.request_refresh(%s) as created", (str(TriggerType(trigger_type)),)).fetchone()
    return bool(row["created"] if isinstance(row, dict) else row[0])
