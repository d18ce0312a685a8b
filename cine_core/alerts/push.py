"""Pushes through Apprise (ntfy, Discord, Telegram, Matrix, email… one URL format): one message per person
per pass listing their new arrivals; a film is pushed once (pushed_at), a failed push is tried next pass."""

from __future__ import annotations

import logging
import warnings
from collections import defaultdict
from datetime import datetime

from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, transaction

log = logging.getLogger(__name__)
ARRIVALS_SQL = "cine_core.alerts.arrivals"  # the alerts' queries live in arrivals.sql

TITLE = "Now on your services"


def _send(url: str, title: str, body: str) -> bool:
    import apprise  # lazy: only the worker pushes

    sender = apprise.Apprise()
    with warnings.catch_warnings():
        # Apprise loads its plugins on first use; its email plugin imports imghdr, deprecated on Python 3.11-3.12.
        warnings.simplefilter("ignore", DeprecationWarning)
        if not sender.add(url):
            log.warning("A notification URL is not one Apprise understands; nothing sent")
            return False
        return bool(sender.notify(title=title, body=body))


def _line(film: dict) -> str:
    year = f" ({film['year']})" if film["year"] else ""
    return f"{film['title']}{year}: now on {' and '.join(film['services'])}"


def push_arrivals(pool: ConnectionPool, *, now: datetime) -> int:
    """Push every arrival not pushed yet to its person's URL; returns the films pushed."""
    with transaction(pool) as conn:
        rows = conn.execute(load_sql(ARRIVALS_SQL, "unpushed")).fetchall()
    by_person: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_person[(row["user_id"], row["notify_url"])].append(row)
    pushed = 0
    for (user_id, url), films in by_person.items():
        lines = [_line(f) for f in films]
        try:
            sent = _send(url, TITLE, "\n".join(lines))
        except Exception:  # a plugin's own failure must not stop the other people's pushes
            log.warning("Push to user %s failed", user_id, exc_info=True)
            sent = False
        if not sent:
            continue  # tried again next pass; nothing marked
        with transaction(pool) as conn:
            conn.execute(load_sql(ARRIVALS_SQL, "mark_pushed"),
                         {"user_id": user_id, "ids": [f["movie_id"] for f in films], "now": now})
        pushed += len(films)
    log.info("Pushed %d arrival(s) to %d person(s)", pushed, len(by_person))
    return pushed
