"""Import what a person has already watched: Letterboxd (ZIP or CSV), IMDb (ratings, watchlist), Trakt.

Flow: parse the whole file (reader.py; a bad file raises ImportFileError before anything is written) →
match each row to a film (resolve.py) → store films new to the shared cache (service transaction) →
write ratings, watched marks, the watchlist and reviews in ONE transaction scoped to the user (RLS
applies), so the ratings trigger and this module leave one pending refresh.

Decisions:
- Watched without a rating (Letterboxd watched / diary rows without stars, IMDb 0, Trakt watched): no
  rating is invented; the film goes into `watchlist` with `watched_at` set. That marks it as seen: it is
  never recommended, and the taste profile learns nothing else from it (a view is not a verdict).
- Several rows for one film (diary rewatches): ratings.csv wins, else the latest dated rating.
- An existing rating newer than the imported one (changed in the app after the export) is kept.
- Letterboxd reviews are what the person wrote about the film (film_reviews, markup reduced to text), never
  chat messages: they do not count toward the chat limits and teach nothing beyond the film's rating.
- Every dated watch (Letterboxd diary with rewatches, Trakt plays, IMDb dates) goes into the diary.
- Re-importing the same file writes nothing and enqueues nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, service_transaction, sql_queries, user_transaction
from cine_core.domain.models import Movie, TriggerType
from cine_core.domain.protocols import MovieSource
from cine_core.films.rows import upsert_movies
from cine_core.imports.diary import write_diary, write_reviews
from cine_core.imports.reader import parse_bytes, parse_file
from cine_core.imports.report import ImportReport
from cine_core.imports.resolve import RowMatcher
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.jobs import refresh_queue

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]  # (rows done, rows total)
_OLDEST = datetime.min.replace(tzinfo=timezone.utc)

__all__ = ["ImportReport", "import_bytes", "import_file", "import_parsed"]


def import_file(pool: ConnectionPool, path: str | Path, user_id: str, *, source: MovieSource,
                progress: ProgressFn | None = None) -> ImportReport:
    """Import one export file from disk for `user_id`; see the module docstring for the rules."""
    return import_parsed(pool, parse_file(path), user_id, source=source, progress=progress)


def import_bytes(pool: ConnectionPool, data: bytes, name: str, user_id: str, *, source: MovieSource,
                 progress: ProgressFn | None = None) -> ImportReport:
    """Import an export held in memory (an uploaded file, an import job's stored content)."""
    return import_parsed(pool, parse_bytes(data, name), user_id, source=source, progress=progress)


def import_parsed(pool: ConnectionPool, parsed: ParsedFile, user_id: str, *, source: MovieSource,
                  progress: ProgressFn | None = None) -> ImportReport:
    matcher = RowMatcher(pool, source)
    matcher.prefetch(parsed.rows)
    matched: list[tuple[ImportRow, Movie]] = []
    unmatched: list[ImportRow] = []
    total = len(parsed.rows)
    for done, row in enumerate(parsed.rows, start=1):
        movie = matcher.match(row)
        if movie is None:
            unmatched.append(row)
        else:
            matched.append((row, movie))
        if progress:
            progress(done, total)
    new_films = matcher.films_to_store()
    if new_films:
        with service_transaction(pool) as conn:  # the film cache is shared, server-owned data
            upsert_movies(conn, [m for m in new_films if m.source == "tmdb" and m.fetched_at], partial=False)
            upsert_movies(conn, new_films, partial=True)
    with user_transaction(pool, user_id) as conn:
        counts = _write(conn, user_id, parsed.service, matched)
    unmatched_labels = tuple(dict.fromkeys(r.label for r in unmatched))
    report = ImportReport(
        service=parsed.service, matched=len(matched), unmatched=unmatched_labels,
        skipped=len(parsed.skipped) + sum(parsed.not_films.values()), skipped_reasons=parsed.skipped,
        not_films=parsed.not_films, unmatched_rows=tuple(unmatched), **counts,
    )
    log.info("Import for %s: %s", user_id, report.summary())
    return report


def _write(conn: psycopg.Connection, user_id: str, service: str,
           matched: list[tuple[ImportRow, Movie]]) -> dict[str, int]:
    ratings = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.RATING])
    watched = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.WATCHED and m.id not in ratings])
    listed = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.WATCHLIST and m.id not in watched])
    counts = _write_ratings(conn, user_id, service, ratings)
    counts["watched_written"], already_watched = _write_marks(conn, "mark_watched", user_id, watched)
    counts["watchlist_written"], already_listed = _write_marks(conn, "add_to_watchlist", user_id, listed)
    counts["already_known"] = already_watched + already_listed
    counts["reviews_written"] = write_reviews(conn, user_id, service, matched)
    counts["diary_written"] = write_diary(conn, user_id, service, matched)
    counts["repeated_rows"] = len(matched) - len({m.id for _, m in matched})
    if counts["watched_written"] or counts["watchlist_written"]:  # reviews and diary dates teach no taste
        refresh_queue.request_refresh(conn, user_id, TriggerType.IMPORT)  # coalesces with the ratings trigger's job
    return counts


def _best_per_film(pairs: list[tuple[ImportRow, Movie]]) -> dict[int, ImportRow]:
    best: dict[int, ImportRow] = {}
    for row, movie in pairs:
        current = best.get(movie.id)
        if current is None or (row.priority, row.when or _OLDEST) > (current.priority, current.when or _OLDEST):
            best[movie.id] = row
    return best


def _write_ratings(conn: psycopg.Connection, user_id: str, service: str, rows: dict[int, ImportRow]) -> dict[str, int]:
    sql = sql_queries(__name__)
    existing = {r["movie_id"]: r for r in conn.execute(sql["existing_ratings"],
                                                       {"user_id": user_id, "ids": list(rows)}).fetchall()}
    counts = {"ratings_added": 0, "ratings_updated": 0, "ratings_unchanged": 0, "ratings_kept": 0}
    writes = []
    for movie_id, row in rows.items():
        old = existing.get(movie_id)
        if old is not None and float(old["rating"]) == row.rating:
            counts["ratings_unchanged"] += 1
            continue
        if old is not None and row.when is not None and old["rated_at"] > row.when:
            counts["ratings_kept"] += 1  # the person rated it again after the export; keep that
            continue
        counts["ratings_added" if old is None else "ratings_updated"] += 1
        writes.append({"user_id": user_id, "movie_id": movie_id, "rating": row.rating,
                       "rated_at": row.when or datetime.now(timezone.utc), "source": service})
    if writes:
        with conn.cursor() as cur:
            cur.executemany(sql["upsert_rating"], writes)
    return counts


def _write_marks(conn: psycopg.Connection, query: str, user_id: str, rows: dict[int, ImportRow]) -> tuple[int, int]:
    """(rows written, rows already there) for mark_watched / add_to_watchlist."""
    sql = load_sql(__name__, query)
    written = 0
    for movie_id, row in rows.items():
        when = row.when or (datetime.now(timezone.utc) if query == "mark_watched" else None)
        written += conn.execute(sql, {"user_id": user_id, "movie_id": movie_id, "when": when}).rowcount
    return written, len(rows) - written
