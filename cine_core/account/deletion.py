"""Deleting an account: every row of the person goes with their `auth.users` row (foreign keys cascade);
the preview counts the same rows first, so the page can show what will go before it goes.

Two tables keep something, by rule: `api_usage` keeps the cost of past calls with the person's id erased
(set null: the installation's spend totals stay true), and `llm_batches` (bookkeeping of Claude batches,
ids in an array, no foreign key) has the id removed from its list. Any other per-user table must cascade:
tests/cine_core/account/test_deletion.py fails for a new table whose rows would outlive the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

log = logging.getLogger(__name__)

# Tables that keep a row after the person is gone, and what happens to their trace in it.
ANONYMISED = {"api_usage": "kept for the installation's spend totals, without your id"}
ID_LISTS = {"llm_batches": "user_ids"}  # uuid[] columns without a foreign key: the id is removed (in SQL)
LABELS = {
    "ratings": "ratings", "watchlist": "watchlist entries and films marked seen", "film_feedback": "👍/🚫 marks",
    "movie_conversations": "chat messages and reviews", "recommendations": "stored picks",
    "taste_profile": "taste profile", "user_settings": "settings", "scout_state": "recommendation schedule",
    "import_jobs": "imports", "recommendation_refresh_queue": "refresh requests", "digest_log": "weekly emails sent",
    "llm_verdicts": "cached AI verdicts", "llm_batch_requests": "queued AI requests",
    "movie_night_pairs": "movie nights and invites", "movie_night_picks": "movie-night films",
    "api_usage": "usage records", "film_reviews": "reviews", "diary_entries": "diary entries",
    "manual_refresh_requests": "refresh requests",
    "household_profiles": "household profile", "service_arrivals": "notices of films now on your services",
}


@dataclass(frozen=True, slots=True)
class TableRows:
    table: str
    label: str
    rows: int
    kept: str | None = None  # why rows stay (anonymised); None: they are deleted


@dataclass(frozen=True, slots=True)
class AccountRows:
    """What deleting the account removes, per table (only tables with rows)."""

    tables: tuple[TableRows, ...]

    @property
    def deleted(self) -> int:
        return sum(t.rows for t in self.tables if t.kept is None)


def count_account_rows(conn: psycopg.Connection, user_id: str) -> AccountRows:
    """Rows of the person in every per-user table, server-owned tables too: counted by account_table_rows
    (migration 20261208200200), a function the app's own login may call."""
    with conn.cursor(row_factory=dict_row) as cur:
        counted = cur.execute("select table_name, row_count from public.account_table_rows(%s)", (user_id,)).fetchall()
    found = [TableRows(r["table_name"], LABELS.get(r["table_name"], r["table_name"].replace("_", " ")),
                       int(r["row_count"]),
                       "your id is removed" if r["table_name"] in ID_LISTS else ANONYMISED.get(r["table_name"]))
             for r in counted]
    return AccountRows(tuple(t for t in found if t.rows))


def delete_account(conn: psycopg.Connection, user_id: str, *, keep_user: bool = False) -> AccountRows:
    """Delete the person in one transaction (delete_account_rows: the id out of ID_LISTS, then the auth.users
    row, whose foreign keys cascade); returns what went, counted just before. `keep_user`: the personal-mode
    user comes back empty at once (the app without sign-in always has its one local user)."""
    counted = count_account_rows(conn, user_id)
    conn.execute("select public.delete_account_rows(%s, %s)", (user_id, keep_user))
    log.info("Deleted account %s: %d row(s) in %d table(s)", user_id, counted.deleted, len(counted.tables))
    return counted
