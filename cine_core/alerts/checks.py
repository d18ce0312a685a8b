"""The worker's pass: re-check where each person's watchlist and top picks stream, record arrivals.

One TMDB request per film answers for every region (`/movie/{id}/watch/providers`), so a film on many
people's lists costs one request per pass, counted in api_usage by the transport. A film and region checked
within `ttl` is not asked again (the cache is per film and region: a new region asks again).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, transaction
from cine_core.domain.errors import TMDBError
from cine_core.domain.watch import where_to_watch

log = logging.getLogger(__name__)
ARRIVALS_SQL = "cine_core.alerts.arrivals"  # the alerts' queries live in arrivals.sql

FetchProviders = Callable[[int], dict[str, Any]]  # movie id -> TMDB's `results` {region: offers}
CHECK_TTL = timedelta(hours=20)  # a daily pass asks again; a pass soon after a restart does not
TOP_PICKS = 12  # the dashboard's grid


@dataclass(frozen=True, slots=True)
class CheckReport:
    films_checked: int  # TMDB requests made
    films_cached: int  # films whose regions were all checked within the TTL
    failed: int
    arrivals: int  # (person, film) pairs that arrived on the person's services in this pass


def fetch_with(transport) -> FetchProviders:
    """TMDB's watch providers through a TMDBTransport (its retries, breaker and api_usage rows)."""

    def fetch(movie_id: int) -> dict[str, Any]:
        body = transport.get(f"movie/{int(movie_id)}/watch/providers", operation="watch_providers")
        results = body.get("results")
        return results if isinstance(results, dict) else {}

    return fetch


def _streams_on(watch_providers: Any, region: str, services: list[str]) -> list[str]:
    offers = where_to_watch(watch_providers, region)
    if offers is None:
        return []
    on_offer = {p.name.casefold() for p in offers.stream}
    return [s for s in services if s.casefold() in on_offer]


def check_services(pool: ConnectionPool, fetch: FetchProviders, *, now: datetime, default_region: str,
                   ttl: timedelta = CHECK_TTL, top_picks: int = TOP_PICKS) -> CheckReport:
    """One pass over every person with streaming services; returns what it did."""
    with transaction(pool) as conn:
        watched = conn.execute(load_sql(ARRIVALS_SQL, "watched_films"),
                               {"default_region": default_region, "top_picks": top_picks}).fetchall()
        regions: dict[int, set[str]] = defaultdict(set)
        for row in watched:
            regions[int(row["movie_id"])].add(row["region"].upper())
        fresh = {(int(r["movie_id"]), r["region"]) for r in conn.execute(
            load_sql(ARRIVALS_SQL, "fresh_checks"), {"ids": list(regions), "since": now - ttl}).fetchall()}
    checked = failed = 0
    for movie_id, wanted in sorted(regions.items()):
        if all((movie_id, region) in fresh for region in wanted):
            continue
        try:
            results = fetch(movie_id)
        except TMDBError as exc:  # this film waits for the next pass; the others go on
            log.warning("Watch providers of film %s not checked: %s", movie_id, exc)
            failed += 1
            continue
        checked += 1
        offers = {region: results[region] for region in wanted if isinstance(results.get(region), dict)}
        with transaction(pool) as conn:
            conn.execute(load_sql(ARRIVALS_SQL, "store_providers"),
                         {"movie_id": movie_id, "regions": sorted(wanted), "offers": json.dumps(offers)})
            conn.execute(load_sql(ARRIVALS_SQL, "mark_checked"),
                         {"movie_id": movie_id, "regions": sorted(wanted), "now": now})
    arrivals = _record(pool, watched, now=now)
    report = CheckReport(checked, len(regions) - checked - failed, failed, arrivals)
    log.info("Service check: %s", report)
    return report


def _record(pool: ConnectionPool, watched: list[dict], *, now: datetime) -> int:
    arrivals = 0
    with transaction(pool) as conn:
        providers = {int(r["id"]): r["watch_providers"] for r in conn.execute(
            load_sql(ARRIVALS_SQL, "providers_of"), {"ids": sorted({int(w["movie_id"]) for w in watched})}).fetchall()}
        for row in watched:
            movie_id = int(row["movie_id"])
            services = _streams_on(providers.get(movie_id), row["region"], list(row["streaming_services"]))
            arrived = conn.execute(load_sql(ARRIVALS_SQL, "record_services"), {
                "user_id": row["user_id"], "movie_id": movie_id, "region": row["region"].upper(),
                "services": services, "now": now}).fetchone()
            arrivals += bool(arrived and arrived["arrived_now"])
    return arrivals
