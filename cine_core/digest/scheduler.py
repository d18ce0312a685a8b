"""The worker's weekly-email clock: a thread that sends due digests every few minutes until stopped."""

from __future__ import annotations

import logging
import threading

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.digest.delivery import send_digests

log = logging.getLogger(__name__)

CHECK_SECONDS = 600.0  # how often due emails are looked for; sends happen within this of the hour chosen


def start_digest_thread(pool: ConnectionPool, settings: Settings, stop: threading.Event, *,
                        check_seconds: float = CHECK_SECONDS) -> threading.Thread | None:
    """Start the clock, or return None when the weekly email is not configured (no SMTP, sender or secret)."""
    if not settings.digest_enabled:
        log.info("Weekly email off: set SMTP_URL, CINE_MAIL_FROM and CINE_SECRET_KEY to send it")
        return None

    def loop() -> None:
        while not stop.is_set():
            try:
                send_digests(pool, settings, stop=stop)
            except Exception:  # the clock must survive a bad pass (database restarting, SMTP down)
                log.exception("Weekly email pass failed; trying again in %.0f s", check_seconds)
            stop.wait(check_seconds)

    thread = threading.Thread(target=loop, name="digest-clock", daemon=True)
    thread.start()
    return thread
