"""The take-away ZIP: Letterboxd-import-compatible ratings.csv, diary.csv, watchlist.csv, watched.csv and
reviews.csv, and cineai.json with every other row of the person's (profile, chat, feedback, picks, settings,
movie nights…).

Everything is read in the person's own transaction, so RLS decides what is theirs and server-owned columns
(import payloads, internal errors) never leave. cineai.json is data-driven: every per-user table the catalog
knows (cine_core.account.tables) appears under its own name, so a table added later is exported with no
change here. The CSVs keep Letterboxd's column names (Date, Name, Year, Letterboxd URI, Rating…) and add
tmdbID, which Letterboxd's importer reads; the Letterboxd URI is empty (CineAI never knew it).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from cine_core.account.tables import readable_columns, user_tables
from cine_core.db import sql_queries

log = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1
_HEADERS = {
    "ratings.csv": ("Date", "Name", "Year", "Letterboxd URI", "Rating", "tmdbID"),
    "diary.csv": ("Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date", "tmdbID"),
    "watchlist.csv": ("Date", "Name", "Year", "Letterboxd URI", "tmdbID"),
    "watched.csv": ("Date", "Name", "Year", "Letterboxd URI", "tmdbID"),
    "reviews.csv": ("Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Review", "Tags", "Watched Date",
                    "tmdbID"),
}
EXPORT_CSV_FILES = tuple(_HEADERS)
# Each file's named query in export.sql. watched.csv (as in Letterboxd's own export) keeps the films marked
# seen without a dated watch: without it, re-importing the ZIP would offer them as picks again.
_QUERY = {"ratings.csv": "ratings", "diary.csv": "diary_entries", "watchlist.csv": "watchlist",
          "watched.csv": "watched", "reviews.csv": "film_reviews"}


def _rows(conn: psycopg.Connection, query: str | sql.Composed, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def _day(value: datetime | date | None) -> str:
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat() if value else ""


def _stars(value: Decimal | float | None) -> str:
    return "" if value is None else f"{float(value):g}"


def _csv_line(name: str, row: Mapping[str, Any]) -> list[str]:
    cells = {"Date": _day(row["logged_at"]), "Name": row["title"], "Year": str(row["year"] or ""),
             "Letterboxd URI": "", "Rating": _stars(row.get("rating")), "Rewatch": row.get("rewatch") or "", "Tags": "",
             # A review written without a dated watch keeps Watched Date empty, as Letterboxd's own export does:
             # a date here would become a watch on import (seen in a real export's round trip).
             "Watched Date": _day(row.get("watched_at")), "Review": row.get("review") or "",
             "tmdbID": str(row["tmdb_id"])}
    return [cells[column] for column in _HEADERS[name]]


def _csv(name: str, rows: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_HEADERS[name])
    writer.writerows(_csv_line(name, row) for row in rows)
    return out.getvalue()


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None  # never readable by the person anyway (import payloads are server-only columns)
    return value


def _table_rows(conn: psycopg.Connection, table: str, columns: tuple[str, ...], user_id: str) -> list[dict]:
    readable = readable_columns(conn, table)
    if not readable:
        return []
    owned = sql.SQL(" or ").join(sql.SQL("{} = %(user)s").format(sql.Identifier(c)) for c in columns)
    query = sql.SQL("select {} from public.{} where {}").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in readable), sql.Identifier(table), owned)
    return [{k: _json_value(v) for k, v in row.items()} for row in _rows(conn, query, {"user": user_id})]


def account_document(conn: psycopg.Connection, user_id: str, *, now: datetime,
                     account: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """cineai.json: the account (as the app knows it: auth.users is not readable by the person) and every
    readable row of every per-user table, by table name."""
    tables: dict[str, list[dict]] = {}
    server_kept: list[str] = []
    for table in user_tables(conn):
        if table.parent is not None:
            continue  # child rows (movie-night films) are recomputed from their parent; not the person's own data
        rows = _table_rows(conn, table.name, table.columns, user_id)
        if rows or readable_columns(conn, table.name):
            tables[table.name] = rows
        else:
            server_kept.append(table.name)
    return {
        "format": "cineai-export", "version": EXPORT_FORMAT_VERSION, "exported_at": now.isoformat(),
        "account": {"id": user_id, **{k: _json_value(v) for k, v in (account or {}).items()}},
        "tables": tables,
        "server_only_tables": sorted(server_kept),  # the server's own bookkeeping about you; deleted with you
    }


def build_export_zip(conn: psycopg.Connection, user_id: str, *, now: datetime,
                     account: Mapping[str, Any] | None = None) -> bytes:
    """The ZIP's bytes; `conn` must be the person's own transaction (user_transaction)."""
    queries = sql_queries(__name__)
    buffer = io.BytesIO()
    counts = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in EXPORT_CSV_FILES:
            rows = _rows(conn, queries[_QUERY[name]], {"user_id": user_id})
            counts[name] = len(rows)
            archive.writestr(name, _csv(name, rows))
        document = account_document(conn, user_id, now=now, account=account)
        archive.writestr("cineai.json", json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False))
    log.info("Export for %s: %s", user_id, ", ".join(f"{n} {c}" for n, c in counts.items()))
    return buffer.getvalue()
