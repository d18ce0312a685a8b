"""Daily caps on Claude: an installation-wide budget in dollars and a per-person call cap.

`CINE_LLM_DAILY_BUDGET_USD` caps the day's estimated spend (api_usage, every operation, UTC day);
`CINE_LLM_USER_DAILY_CALLS` caps one person's calls of one operation (the scout's) per day. Past either,
`claude_allowed` says no and why; the caller answers with the local engine and records the reason (the
scout saves it as the pass's `last_error`, which the Status page lists). Unset means no cap.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from cine_core.config import Settings
from cine_core.db.named_sql import load_named_queries

log = logging.getLogger(__name__)

QUERIES_FILE = Path(__file__).with_suffix(".sql")


@dataclass(frozen=True, slots=True)
class BudgetCheck:
    """Whether Claude may be called now, and if not, why (a sentence for the Status page)."""

    allowed: bool
    reason: str | None = None


def claude_allowed(conn: psycopg.Connection, settings: Settings, *, user_id: str, operation: str) -> BudgetCheck:
    """No when today's spend reached the daily budget or this person's calls of `operation` the daily cap."""
    budget, cap = settings.cine_llm_daily_budget_usd, settings.cine_llm_user_daily_calls
    if budget is None and cap is None:
        return BudgetCheck(True)
    with conn.cursor(row_factory=dict_row) as cur:
        today = cur.execute(load_named_queries(QUERIES_FILE)["spend_today"],
                            {"user_id": user_id, "operation": operation}).fetchone()
    if budget is not None and today["usd"] >= budget:
        log.warning("Claude daily budget reached ($%.2f of $%.2f): the local engine answers", today["usd"], budget)
        return BudgetCheck(False, f"Claude daily budget of ${budget:.2f} reached: local engine until tomorrow (UTC)")
    if cap is not None and today["user_calls"] >= cap:
        log.info("Claude daily call cap reached for %s (%d calls): the local engine answers", user_id, cap)
        return BudgetCheck(False, f"Claude daily cap of {cap} calls for this person reached: local engine until "
                                  "tomorrow (UTC)")
    return BudgetCheck(True)
