"""The worker's "now on your services" clock: with a TMDB key, re-check where each person's watchlist and top
picks stream every few hours, record arrivals and push them (cine_core.alerts). Off without a TMDB key (the
offline catalog has no where-to-watch data)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from psycopg_pool import ConnectionPool

from cine_core.alerts import check_services, push_arrivals
from cine_core.alerts.checks import fetch_with
from cine_core.config import Settings
from cine_core.films.tmdb.transport import TMDBTransport
from cine_core.metering.usage import UsageRecorder

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 6 * 3600.0  # films are asked again only after CHECK_TTL (cine_core.alerts.checks)


def run_provider_pass(pool: ConnectionPool, settings: Settings, *, transport: TMDBTransport | None = None,
                      now: datetime | None = None) -> int:
    """One pass: check, then push; returns the arrivals found."""
    transport = transport or TMDBTransport(
        api_key=settings.tmdb_api_key.get_secret_value() if settings.tmdb_api_key else None,
        read_access_token=settings.tmdb_read_access_token.get_secret_value() if settings.tmdb_read_access_token
        else None, base_url=settings.tmdb_base_url, usage=UsageRecorder(pool))
    now = now or datetime.now(UTC)
    report = check_services(pool, fetch_with(transport), now=now, default_region=settings.default_region)
    push_arrivals(pool, now=now)
    return report.arrivals


def start_provider_thread(pool: ConnectionPool, settings: Settings, stop: threading.Event, *,
                          every_seconds: float = CHECK_EVERY_SECONDS) -> threading.Thread | None:
    if not settings.tmdb_online:
        log.info("'Now on your services' off: it needs TMDB_API_KEY (the offline catalog has no providers)")
        return None

    def loop() -> None:
        while not stop.is_set():
            try:
                run_provider_pass(pool, settings)
            except Exception:  # the clock must survive a bad pass (TMDB down, database restarting)
                log.exception("Service check failed; trying again in %.0f s", every_seconds)
            stop.wait(every_seconds)

    thread = threading.Thread(target=loop, name="provider-checks", daemon=True)
    thread.start()
    return thread
