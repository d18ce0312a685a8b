"""Get started: how many films the person rated and the well-known films offered to rate, in one read."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.app.dashboard import Card, UserState, list_onboarding_films, load_user_state
from cine_core.db import user_transaction

FILMS_SHOWN = 24


@dataclass(frozen=True, slots=True)
class Onboarding:
    state: UserState  # the rating count says how far along the person is
    films: tuple[Card, ...]  # well-known films not rated yet, spread over decades, genres and series


def load_onboarding(pool: ConnectionPool, user_id: str, *, limit: int = FILMS_SHOWN) -> Onboarding:
    """The Get started page's read in one user transaction (RLS applies)."""
    with user_transaction(pool, user_id) as conn:
        return Onboarding(load_user_state(conn, user_id), tuple(list_onboarding_films(conn, user_id, limit=limit)))
