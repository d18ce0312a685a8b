"""Which tables hold a person's rows: every table of `public` with a foreign key to `auth.users`, and the
tables hanging off those (one level), read from the catalog. SQL in tables.sql."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg
from psycopg.rows import dict_row

from cine_core.db import load_sql

log = logging.getLogger(__name__)

ON_DELETE = {"c": "cascade", "n": "set null", "d": "set default", "r": "restrict", "a": "no action"}


@dataclass(frozen=True, slots=True)
class UserTable:
    """A table holding a person's rows: `columns` name them (several for a pair: inviter_id, invitee_id).

    A child table (`parent` set) holds rows of a per-user table's rows: `columns` then join `parent_column`."""

    name: str
    columns: tuple[str, ...]
    on_delete: tuple[str, ...]  # per column: 'cascade', 'set null', …
    parent: str | None = None
    parent_column: str | None = None


def _rows(conn: psycopg.Connection, name: str, params: dict | None = None) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(load_sql(__name__, name), params).fetchall()


def user_tables(conn: psycopg.Connection) -> list[UserTable]:
    """Every per-user table (direct first, then children), in name order within each group."""
    direct: dict[str, list[tuple[str, str]]] = {}
    for row in _rows(conn, "user_columns"):
        direct.setdefault(row["table_name"], []).append(
            (row["column_name"], ON_DELETE.get(row["on_delete"], row["on_delete"])))
    tables = [UserTable(name, tuple(c for c, _ in cols), tuple(d for _, d in cols)) for name, cols in direct.items()]
    tables += [UserTable(r["table_name"], (r["column_name"],), (ON_DELETE.get(r["on_delete"], r["on_delete"]),),
                         parent=r["parent_table"], parent_column=r["parent_column"])
               for r in _rows(conn, "child_tables", {"parents": list(direct)})]
    return tables


def readable_columns(conn: psycopg.Connection, table: str) -> list[str]:
    """The columns of `table` a signed-in person may read (empty: the table is server-owned)."""
    return [r["column_name"] for r in _rows(conn, "readable_columns", {"table": table})]
