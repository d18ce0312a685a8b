"""An import's dated watches and reviews: the diary (every watch, rewatches counted, the rating at that time)
and what the person wrote (film_reviews), written in the import's user-scoped transaction (RLS applies).

A review is never a chat message: it does not count toward the chat limits, is never answered and teaches
nothing of its own (the film's rating does). Re-importing the same file adds nothing. The SQL lives in
`diary.sql`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone

import psycopg

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.imports.rows import ImportRow

log = logging.getLogger(__name__)



def write_diary(conn: psycopg.Connection, user_id: str, service: str,
                matched: list[tuple[ImportRow, Movie]]) -> int:
    """One diary entry per film and day (a diary row and its review row are one watch); returns rows added."""
    watches: dict[tuple[int, date], dict] = {}
    for row, movie in matched:
        if row.watched_on is None:
            continue
        entry = watches.setdefault((movie.id, row.watched_on), {
            "user_id": user_id, "movie_id": movie.id, "watched_on": row.watched_on, "rating": None,
            "rewatch": False, "source": service})
        entry["rating"] = row.rating if row.rating is not None else entry["rating"]
        entry["rewatch"] = entry["rewatch"] or row.rewatch
    return _insert_all(conn, "add_watch", list(watches.values()))


def write_reviews(conn: psycopg.Connection, user_id: str, service: str,
                  matched: list[tuple[ImportRow, Movie]]) -> int:
    """Each distinct review text per film once; returns rows added."""
    reviews: dict[tuple[int, str], dict] = {}
    for row, movie in matched:
        if not row.review:
            continue
        reviews.setdefault((movie.id, row.review), {
            "user_id": user_id, "movie_id": movie.id, "body": row.review, "rating": row.rating,
            "watched_on": row.watched_on, "written_at": row.when or datetime.now(timezone.utc), "source": service})
    return _insert_all(conn, "add_review", list(reviews.values()))


def _insert_all(conn: psycopg.Connection, query: str, params: list[dict]) -> int:
    if not params:
        return 0
    sql = load_sql(__name__, query)
    added = 0
    with conn.cursor() as cur:
        for chunk_start in range(0, len(params), 500):
            chunk = params[chunk_start:chunk_start + 500]
            cur.executemany(sql, chunk, returning=True)
            while True:
                added += len(cur.fetchall())
                if not cur.nextset():
                    break
    return added
