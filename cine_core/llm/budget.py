"""Daily caps on Claude: an installation-wide budget in dollars and a per-person call cap.

`CINE_LLM_DAILY_BUDGET_USD` caps the day's estimated spend (api_usage, every operation, UTC day);
`CINE_LLM_USER_DAILY_CALLS` caps one person's Claude calls per day, whatever they are for (chat, the scout's
verdicts, extraction). Past either, `claude_allowed` says no and why. `ClaudeCaps` is the gate every Claude
request passes: `ClaudeClient` checks it before each request and `BatchClient` before each batch, raising
`LLMCapReached` (an LLMError, so every caller's local-engine fallback answers). Callers that want to say why
before building a prompt (the scout saves the reason as the pass's `last_error`, which the Status page lists)
call `claude_allowed` themselves. Unset means no cap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import app_transaction, load_sql
from cine_core.domain.errors import LLMError

log = logging.getLogger(__name__)



class LLMCapReached(LLMError):
    """A daily Claude cap is reached: no request was sent; the local engine answers."""


@dataclass(frozen=True, slots=True)
class BudgetCheck:
    """Whether Claude may be called now, and if not, why (a sentence for the Status page)."""

    allowed: bool
    reason: str | None = None


def claude_allowed(conn: psycopg.Connection, settings: Settings, *, user_id: str | None,
                   operation: str | None = None) -> BudgetCheck:
    """No when today's spend reached the daily budget or this person's Claude calls today the daily cap.

    `operation` is kept for the log; every operation counts toward both caps. Without `user_id` (a batch
    covering several people) only the installation's budget applies."""
    budget, cap = settings.cine_llm_daily_budget_usd, settings.cine_llm_user_daily_calls
    if budget is None and cap is None:
        return BudgetCheck(True)
    with conn.cursor(row_factory=dict_row) as cur:
        today = cur.execute(load_sql(__name__, "spend_today"), {"user_id": user_id}).fetchone()
    if budget is not None and today["usd"] >= budget:
        log.warning("Claude daily budget reached ($%.2f of $%.2f): the local engine answers %s",
                    today["usd"], budget, operation or "")
        return BudgetCheck(False, f"Claude daily budget of ${budget:.2f} reached: local engine until tomorrow (UTC)")
    if cap is not None and user_id is not None and today["user_calls"] >= cap:
        log.info("Claude daily call cap reached for %s (%d calls): the local engine answers %s",
                 user_id, cap, operation or "")
        return BudgetCheck(False, f"Claude daily cap of {cap} calls for this person reached: local engine until "
                                  "tomorrow (UTC)")
    return BudgetCheck(True)


class ClaudeCaps:
    """The gate in front of every Claude request: the settings' caps, counted from `pool`'s api_usage.

    Without a pool there is no accounting to count from, so nothing is capped (offline tools and tests)."""

    def __init__(self, settings: Settings, pool: ConnectionPool | None) -> None:
        self.settings = settings
        self._pool = pool

    @property
    def active(self) -> bool:
        s = self.settings
        return self._pool is not None and (s.cine_llm_daily_budget_usd is not None
                                           or s.cine_llm_user_daily_calls is not None)

    def check(self, *, user_id: str | None, operation: str) -> BudgetCheck:
        if not self.active:
            return BudgetCheck(True)
        with app_transaction(self._pool) as conn:  # cine_app may call claude_spend_today
            return claude_allowed(conn, self.settings, user_id=user_id, operation=operation)

    def require(self, *, user_id: str | None, operation: str) -> None:
        """Raise LLMCapReached (nothing is sent) when a cap is reached."""
        verdict = self.check(user_id=user_id, operation=operation)
        if not verdict.allowed:
            raise LLMCapReached(verdict.reason)
