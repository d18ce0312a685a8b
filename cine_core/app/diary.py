"""The diary: every watch with its date (rewatches counted), the rating then and what the person wrote.

Read pieces take a connection from `db.user_transaction` AND filter by user_id, like every page query; the
pages' faces (`load_diary`, `load_month`, `load_film_diary`) and the writes open their own user transaction. A review is what the person wrote about a film, never a chat message:
it is not counted by the chat limits and teaches nothing beyond the film's rating. The SQL lives in
`diary.sql`; the year in review is in `year_review.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.app.actions import mark_seen, validate_rating
from cine_core.db import load_sql, user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.models import Movie
from cine_core.domain.review_text import review_to_text
from cine_core.films.rows import row_to_movie

log = logging.getLogger(__name__)

FIRST_FILM_DAY = date(1888, 10, 14)  # Roundhay Garden Scene: no one watched a film before it
MAX_REVIEW_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Watch:
    """One diary entry."""

    entry_id: int
    movie: Movie
    watched_on: date
    rating: float | None  # the rating given for this watch (None: not rated then)
    is_rewatch: bool
    watch_number: int  # 1 for the first watch in the diary, 2 for the next...
    review: str | None  # what the person wrote for this watch
    current_rating: float | None
    source: str


@dataclass(frozen=True, slots=True)
class Review:
    review_id: str
    body: str
    rating: float | None
    watched_on: date | None
    written_at: datetime
    source: str
    movie: Movie | None = None


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: date  # first day of the month
    watches: int


def _float(value) -> float | None:
    return float(value) if value is not None else None


def _watch(row) -> Watch:
    return Watch(entry_id=int(row["entry_id"]), movie=row_to_movie(row), watched_on=row["watched_on"],
                 rating=_float(row["watch_rating"]), is_rewatch=bool(row["is_rewatch"]),
                 watch_number=int(row["watch_number"]), review=row["review"],
                 current_rating=_float(row["current_rating"]), source=row["watch_source"])


def _review(row, *, with_movie: bool = False) -> Review:
    rating = row["review_rating"] if with_movie else row["rating"]  # movies has no `rating`; be explicit anyway
    return Review(review_id=row["review_id"], body=row["body"], rating=_float(rating),
                  watched_on=row["watched_on"], written_at=row["written_at"], source=row["review_source"],
                  movie=row_to_movie(row) if with_movie else None)


def list_months(conn: psycopg.Connection, user_id: str) -> list[MonthCount]:
    """Months with at least one watch, newest first."""
    rows = conn.execute(load_sql(__name__, "months"), {"user_id": user_id}).fetchall()
    return [MonthCount(r["month"], int(r["watches"])) for r in rows]


def list_watches(conn: psycopg.Connection, user_id: str, start: date, end: date, *,
                 movie_id: int | None = None) -> list[Watch]:
    """Watches with start <= watched_on < end, newest first."""
    rows = conn.execute(load_sql(__name__, "entries"), {"user_id": user_id, "start": start, "end": end,
                                                        "movie_id": movie_id}).fetchall()
    return [_watch(r) for r in rows]


def month_watches(conn: psycopg.Connection, user_id: str, month: date) -> list[Watch]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return list_watches(conn, user_id, start, end)


def film_watches(conn: psycopg.Connection, user_id: str, movie_id: int) -> list[Watch]:
    """Every watch of one film, oldest first."""
    watches = list_watches(conn, user_id, FIRST_FILM_DAY, date.max, movie_id=movie_id)
    return list(reversed(watches))


def film_reviews(conn: psycopg.Connection, user_id: str, movie_id: int) -> list[Review]:
    rows = conn.execute(load_sql(__name__, "film_reviews"), {"user_id": user_id, "movie_id": movie_id}).fetchall()
    return [_review(r) for r in rows]


def list_reviews(conn: psycopg.Connection, user_id: str, *, limit: int = 100) -> list[Review]:
    """The person's reviews with their films, newest first (History)."""
    rows = conn.execute(load_sql(__name__, "reviews"), {"user_id": user_id, "limit": limit}).fetchall()
    return [_review(r, with_movie=True) for r in rows]


@dataclass(frozen=True, slots=True)
class DiaryOverview:
    """The Diary page's first read: its months and the newest reviews."""

    months: tuple[MonthCount, ...]  # newest first
    reviews: tuple[Review, ...]  # newest first, with their films


@dataclass(frozen=True, slots=True)
class FilmDiary:
    """One film's watches (oldest first) and what the person wrote about it (the film page)."""

    watches: tuple[Watch, ...]
    reviews: tuple[Review, ...]


def load_diary(pool: ConnectionPool, user_id: str, *, reviews: int = 100) -> DiaryOverview:
    with user_transaction(pool, user_id) as conn:
        return DiaryOverview(tuple(list_months(conn, user_id)), tuple(list_reviews(conn, user_id, limit=reviews)))


def load_month(pool: ConnectionPool, user_id: str, month: date) -> tuple[Watch, ...]:
    """One month's watches, newest first."""
    with user_transaction(pool, user_id) as conn:
        return tuple(month_watches(conn, user_id, month))


def load_film_diary(pool: ConnectionPool, user_id: str, movie_id: int) -> FilmDiary:
    with user_transaction(pool, user_id) as conn:
        return FilmDiary(tuple(film_watches(conn, user_id, movie_id)), tuple(film_reviews(conn, user_id, movie_id)))


def check_watch_date(watched_on: date, *, today: date | None = None) -> date:
    """A plausible watch date or a DataError saying why not (a day of grace for time zones)."""
    today = today or datetime.now(timezone.utc).date()
    if not isinstance(watched_on, date):
        raise DataError(f"{watched_on!r} is not a date")
    if watched_on > today + timedelta(days=1):
        raise DataError(f"{watched_on:%d %b %Y} is in the future: pick the day you watched it")
    if watched_on < FIRST_FILM_DAY:
        raise DataError(f"{watched_on:%d %b %Y} is before the first film was made")
    return watched_on


def log_watch(pool: ConnectionPool, user_id: str, movie_id: int, watched_on: date, *,
              rating: float | None = None, review: str | None = None) -> bool:
    """"Seen it" on a day: one diary entry (a second one on the same day is the same watch), the film marked
    watched, the rating (if given) becoming the film's rating, and the review (if any) kept as written.
    True if the diary gained an entry."""
    day = check_watch_date(watched_on)
    value = validate_rating(rating) if rating is not None else None
    text = review_to_text(review)[:MAX_REVIEW_CHARS] if review else ""
    params = {"user_id": user_id, "movie_id": movie_id, "watched_on": day, "rating": value}
    with user_transaction(pool, user_id) as conn:
        added = conn.execute(load_sql(__name__, "add_watch"), params).fetchone() is not None
        when = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
        conn.execute(load_sql(__name__, "mark_watched"), {**params, "watched_at": when})
        rated = conn.execute(load_sql(__name__, "rating"), params).fetchone() is not None
        if value is not None:
            conn.execute(load_sql(__name__, "rate"), params)  # the ratings trigger queues a refresh
        if text:
            conn.execute(load_sql(__name__, "add_review"), {**params, "body": text})
    if value is None and not rated:
        mark_seen(pool, user_id, movie_id)  # seen without stars: out of the picks, a refresh queued
    log.info("User %s logged a watch of film %s (%s)", user_id, movie_id, "new" if added else "already logged")
    return added


def delete_watch(pool: ConnectionPool, user_id: str, entry_id: int) -> None:
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "delete_watch"), {"user_id": user_id, "id": entry_id})


def delete_review(pool: ConnectionPool, user_id: str, review_id: str) -> None:
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "delete_review"), {"user_id": user_id, "id": review_id})
