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
from psycopg import sql

from cine_core.account.tables import UserTable, user_tables

log = logging.getLogger(__name__)

# Tables that keep a row after the person is gone, and what happens to their trace in it.
ANONYMISED = {"api_usage": "kept for the installation's spend totals, without your id"}
ID_LISTS = {"llm_batches": "user_ids"}  # uuid[] columns without a foreign key: the id is removed
LABELS = {
    "ratings": "ratings", "watchlist": "watchlist entries and films marked seen", "film_feedback": "👍/🚫 marks",
    "movie_conversations": "chat messages and reviews", "recommendations": "stored picks",
    "taste_profile": "taste profile", "user_settings": "settings", "scout_state": "recommendation schedule",
    "import_jobs": "imports", "recommendation_refresh_queue": "refresh requests", "digest_log": "weekly emails sent",
    "llm_verdicts": "cached AI verdicts", "llm_batch_requests": "queued AI requests",
    "movie_night_pairs": "movie nights and invites", "movie_night_picks": "movie-night films",
    "api_usage": "usage records", "film_reviews": "reviews", "diary_entries": "diary entries",
    "manual_refresh_requests": "refresh requests",
    "household_profiles": "household profile", "service_arrivals": "'now on your services' notices",
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


def _owned(table: UserTable) -> sql.Composed:
    """`where` condition of the person's rows (parameter `user`) in a direct per-user table."""
    return sql.SQL(" or ").join(sql.SQL("{} = %(user)s").format(sql.Identifier(c)) for c in table.columns)


def _count(conn: psycopg.Connection, table: UserTable, by_name: dict[str, UserTable], user_id: str) -> int:
    if table.parent is None:
        query = sql.SQL("select count(*) from public.{} where {}").format(sql.Identifier(table.name),
                                                                        _owned(table))
    else:
        parent = by_name[table.parent]
        query = sql.SQL("select count(*) from public.{} where {} in (select {} from public.{} where {})").format(
            sql.Identifier(table.name), sql.Identifier(table.columns[0]), sql.Identifier(table.parent_column),
            sql.Identifier(parent.name), _owned(parent))
    row = conn.execute(query, {"user": user_id}).fetchone()
    return int(row["count"] if isinstance(row, dict) else row[0])


def count_account_rows(conn: psycopg.Connection, user_id: str) -> AccountRows:
    """Rows of the person in every per-user table (a service connection: server-owned tables count too)."""
    tables = user_tables(conn)
    by_name = {t.name: t for t in tables if t.parent is None}
    found = [TableRows(t.name, LABELS.get(t.name, t.name.replace("_", " ")), _count(conn, t, by_name, user_id),
                       ANONYMISED.get(t.name)) for t in tables]
    for table, column in ID_LISTS.items():
        if _exists(conn, table):
            rows = conn.execute(sql.SQL("select count(*) from public.{} where %s = any({})").format(
                sql.Identifier(table), sql.Identifier(column)), (user_id,)).fetchone()
            found.append(TableRows(table, LABELS.get(table, table), int(rows["count"] if isinstance(rows, dict)
                                                                        else rows[0]), "your id is removed"))
    return AccountRows(tuple(t for t in found if t.rows))


def delete_account(conn: psycopg.Connection, user_id: str) -> AccountRows:
    """Delete the person (service connection, one transaction): returns what went, counted just before."""
    counted = count_account_rows(conn, user_id)
    for table, column in ID_LISTS.items():
        if _exists(conn, table):
            conn.execute(sql.SQL("update public.{0} set {1} = array_remove({1}, %s::uuid) where %s = any({1})").format(
                sql.Identifier(table), sql.Identifier(column)), (user_id, user_id))
    conn.execute("delete from auth.users where id = %s", (user_id,))
    log.info("Deleted account %s: %d row(s) in %d table(s)", user_id, counted.deleted, len(counted.tables))
    return counted


def _exists(conn: psycopg.Connection, table: str) -> bool:
    row = conn.execute("select to_regclass(%s) is not null as yes", (f"public.{table}",)).fetchone()
    return bool(row["yes"] if isinstance(row, dict) else row[0])
