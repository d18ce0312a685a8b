"""Cost accounting: one `api_usage` row per external call (TMDB, Anthropic, Wikipedia); SQL in `usage.sql`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.db import app_transaction, load_sql

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class UsageEvent:
    service: str  # 'tmdb' | 'anthropic' | 'wikipedia'
    operation: str  # e.g. 'movie_details', 'match_candidates'
    model: str | None = None
    user_id: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    estimated_cost_usd: float = 0.0
    ok: bool = True
    error: str | None = None


class UsageRecorder:
    """Writes usage rows; a failure to record never breaks the call being recorded."""

    def __init__(self, pool: ConnectionPool | None) -> None:
        self._pool = pool

    @property
    def pool(self) -> ConnectionPool | None:
        return self._pool

    def record(self, event: UsageEvent) -> None:
        if self._pool is None:
            return
        try:
            with app_transaction(self._pool) as conn:  # cine_app may call record_api_usage, nothing else
                conn.execute(
                    load_sql(__name__, "record"),
                    (
                        event.service, event.operation, event.model, event.user_id, event.tokens_in,
                        event.tokens_out, event.cache_read_tokens, event.cache_write_tokens,
                        event.estimated_cost_usd, event.ok, (event.error or "")[:500] or None,
                    ),
                )
        except Exception:  # accounting must not take the caller down
            log.warning("Could not record API usage for %s/%s", event.service, event.operation, exc_info=True)
