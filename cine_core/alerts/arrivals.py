"""What a person sees of "now on your services": the new arrivals (dashboard notice, weekly email's line) and
the watchlist films streaming on their services now (the Library's filter). In the person's own transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

from cine_core.db import load_sql
from cine_core.domain.watch import can_stream

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class Arrival:
    """A film that arrived on one or more of the person's services."""

    movie_id: int
    title: str
    year: int | None
    services: tuple[str, ...]
    arrived_at: datetime

    @property
    def line(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}{year} is now on {' and '.join(self.services)}"


def _arrival(row: dict) -> Arrival:
    return Arrival(int(row["movie_id"]), row["title"], row["year"], tuple(row["services"]), row["arrived_at"])


def new_arrivals(conn: psycopg.Connection, user_id: str) -> list[Arrival]:
    """Arrivals the person has not dismissed yet, newest first."""
    return [_arrival(r) for r in conn.execute(load_sql(__name__, "new_arrivals"), {"user_id": user_id}).fetchall()]


def dismiss_arrivals(conn: psycopg.Connection, user_id: str) -> int:
    return conn.execute(load_sql(__name__, "dismiss"), {"user_id": user_id}).rowcount


def unemailed_arrivals(conn: psycopg.Connection, user_id: str) -> list[Arrival]:
    """Arrivals no weekly email has told yet (service connection in the digest)."""
    return [_arrival(r) for r in conn.execute(load_sql(__name__, "unemailed"), {"user_id": user_id}).fetchall()]


def mark_emailed(conn: psycopg.Connection, user_id: str, movie_ids: list[int]) -> None:
    conn.execute(load_sql(__name__, "mark_emailed"), {"user_id": user_id, "ids": movie_ids})


def streamable_watchlist_ids(conn: psycopg.Connection, user_id: str, region: str, services: tuple[str, ...]) -> set[int]:
    """Ids of the person's unwatched watchlist films streaming on one of `services` in `region` now."""
    if not services:
        return set()
    rows = conn.execute(load_sql(__name__, "streamable_watchlist"), {"user_id": user_id}).fetchall()
    return {int(r["movie_id"]) for r in rows if can_stream(r["watch_providers"], region, services)}
