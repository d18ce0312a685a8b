"""Import what a user has already watched: Letterboxd (zip or CSV), IMDb ratings CSV, Trakt JSON.

Flow: parse the whole file (import_parsers; a bad file raises ImportFileError before anything is
written) → match each row to a TMDB id (import_matching) → write films, ratings and watchlist rows in ONE
transaction, so the ratings trigger leaves one pending refresh.

Decisions:
- Watched without a rating (Letterboxd watched.csv / diary rows without stars, Trakt watched): no rating is
  invented; the film goes into `watchlist` with `watched_at` set, which marks it as seen (excluded from picks).
- Several rows for one film (diary rewatches): ratings.csv wins, else the latest dated diary rating.
- An existing rating newer than the imported one (e.g. changed in the app later) is kept.
- Re-importing the same file writes nothing and enqueues nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.models import Movie, TriggerType
from cine_core.domain.protocols import MovieSource
from cine_core.films.rows import upsert_movies
from cine_core.imports.reader import parse_file
from cine_core.imports.resolve import RowMatcher
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.jobs import refresh_queue

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]  # (rows done, rows total)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did. `unmatched` lists 'Title (Year)' of rows no film could be matched to."""

    service: str
    matched: int
    unmatched: tuple[str, ...]
    skipped: int
    ratings_written: int = 0
    watchlist_written: int = 0
    watched_written: int = 0
    skipped_reasons: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.ratings_written or self.watchlist_written or self.watched_written)

    def summary(self) -> str:
        text = (
            f"{self.service.capitalize()} import: {self.matched} matched, {len(self.unmatched)} unmatched, "
            f"{self.skipped} skipped; wrote {self.ratings_written} rating(s), {self.watched_written} watched, "
            f"{self.watchlist_written} watchlist film(s)."
        )
        if self.unmatched:
            shown = ", ".join(self.unmatched[:10])
            more = f" and {len(self.unmatched) - 10} more" if len(self.unmatched) > 10 else ""
            text += f" Not found: {shown}{more}."
        return text


def import_file(
    pool: ConnectionPool,
    path: str | Path,
    user_id: str,
    *,
    source: MovieSource,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Import one export file for `user_id`; see the module docstring for the rules."""
    parsed = parse_file(path)
    matcher = RowMatcher(pool, source)
    matched: list[tuple[ImportRow, Movie]] = []
    unmatched: list[str] = []
    total = len(parsed.rows)
    for done, row in enumerate(parsed.rows, start=1):
        movie = matcher.match(row)
        if movie is None:
            unmatched.append(row.label)
        else:
            matched.append((row, movie))
        if progress:
            progress(done, total)
    with transaction(pool) as conn:
        written = _write(conn, user_id, parsed, matched, matcher.films_to_store())
    report = ImportReport(
        service=parsed.service, matched=len(matched), unmatched=tuple(unmatched), skipped=len(parsed.skipped),
        skipped_reasons=parsed.skipped, **written,
    )
    log.info("%s", report.summary())
    return report


def _write(conn: psycopg.Connection, user_id: str, parsed: ParsedFile, matched: list[tuple[ImportRow, Movie]],
           new_films: list[Movie]) -> dict[str, int]:
    upsert_movies(conn, [m for m in new_films if m.source == "tmdb" and m.fetched_at], partial=False)
    upsert_movies(conn, new_films, partial=True)
    ratings = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.RATING])
    rated_ids = set(ratings)
    watched = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.WATCHED and m.id not in rated_ids])
    listed = _best_per_film([(r, m) for r, m in matched if r.kind is RowKind.WATCHLIST])
    counts = {
        "ratings_written": _write_ratings(conn, user_id, parsed.service, ratings),
        "watched_written": _write_watched(conn, user_id, watched),
        "watchlist_written": _write_watchlist(conn, user_id, {k: v for k, v in listed.items() if k not in watched}),
    }
    if counts["watched_written"] or counts["watchlist_written"]:
        refresh_queue.enqueue(conn, user_id, TriggerType.IMPORT)  # coalesces with the trigger's pending job
    return counts


def _best_per_film(pairs: list[tuple[ImportRow, Movie]]) -> dict[int, ImportRow]:
    best: dict[int, ImportRow] = {}
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    for row, movie in pairs:
        current = best.get(movie.id)
        if current is None or (row.priority, row.when or oldest) > (current.priority, current.when or oldest):
            best[movie.id] = row
    return best


def _write_ratings(conn: psycopg.Connection, user_id: str, service: str, rows: dict[int, ImportRow]) -> int:
    existing = {
        r["movie_id"]: r for r in conn.execute(
            "select movie_id, rating, rated_at from public.ratings where user_id = %s and movie_id = any(%s)",
            (user_id, list(rows)),
        ).fetchall()
    }
    writes = []
    for movie_id, row in rows.items():
        old = existing.get(movie_id)
        if old is not None:
            if float(old["rating"]) == row.rating:
                continue  # nothing new (re-import)
            if row.when is not None and old["rated_at"] > row.when:
                continue  # the user rated it again later; keep that
        writes.append((user_id, movie_id, row.rating, row.when or datetime.now(timezone.utc), service))
    if writes:
        with conn.cursor() as cur:
            cur.executemany(
                "insert into public.ratings (user_id, movie_id, rating, rated_at, source) values (%s, %s, %s, %s, %s)"
                " on conflict (user_id, movie_id) do update set rating = excluded.rating,"
                " rated_at = excluded.rated_at, source = excluded.source",
                writes,
            )
    return len(writes)


def _write_watched(conn: psycopg.Connection, user_id: str, rows: dict[int, ImportRow]) -> int:
    written = 0
    for movie_id, row in rows.items():
        when = row.when or datetime.now(timezone.utc)
        cur = conn.execute(
            "insert into public.watchlist (user_id, movie_id, added_at, watched_at) values (%s, %s, %s, %s)"
            " on conflict (user_id, movie_id) do update set watched_at = excluded.watched_at"
            " where public.watchlist.watched_at is null",
            (user_id, movie_id, when, when),
        )
        written += cur.rowcount
    return written


def _write_watchlist(conn: psycopg.Connection, user_id: str, rows: dict[int, ImportRow]) -> int:
    written = 0
    for movie_id, row in rows.items():
        cur = conn.execute(
            "insert into public.watchlist (user_id, movie_id, added_at) values (%s, %s, coalesce(%s, now()))"
            " on conflict (user_id, movie_id) do nothing",
            (user_id, movie_id, row.when),
        )
        written += cur.rowcount
    return written
