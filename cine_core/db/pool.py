"""Connections: a psycopg pool, service transactions and user-scoped (RLS) transactions, error mapping."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Iterator

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from cine_core.domain.errors import DatabaseError, DatabaseUnavailable, DataError

log = logging.getLogger(__name__)


def check_connection(url: str) -> None:
    """Raise DatabaseUnavailable with one clear line if the database cannot be reached."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        raise DatabaseUnavailable(f"Cannot connect to the database ({_redact(url)}): {_first_line(exc)}") from exc


def open_pool(url: str, *, min_size: int = 1, max_size: int = 8, name: str = "cineai") -> ConnectionPool:
    """A psycopg pool with dict rows; raises DatabaseUnavailable instead of hanging."""
    check_connection(url)
    pool = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        name=name,
        open=False,
    )
    try:
        pool.open(wait=True, timeout=10)
    except Exception as exc:
        raise DatabaseUnavailable(f"Cannot open a connection pool to {_redact(url)}: {exc}") from exc
    return pool


@contextlib.contextmanager
def transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A service-level transaction (worker, setup): commits on success, maps driver errors."""
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            yield conn


@contextlib.contextmanager
def user_transaction(pool: ConnectionPool, user_id: str) -> Iterator[psycopg.Connection]:
    """A transaction scoped to one user: role `authenticated` and JWT claims set, so RLS applies.

    Queries should still filter by user_id explicitly; RLS is the safety net.
    """
    claims = json.dumps({"sub": str(user_id), "role": "authenticated"})
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            conn.execute("select set_config('request.jwt.claims', %s, true)", (claims,))
            conn.execute("set local role authenticated")
            yield conn


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Map psycopg errors onto CineError subclasses with a readable message."""
    try:
        yield
    except psycopg.errors.CheckViolation as exc:
        raise DataError(f"Rejected by the database: {_constraint_message(exc)}") from exc
    except (psycopg.errors.UniqueViolation, psycopg.errors.ForeignKeyViolation, psycopg.errors.NotNullViolation) as exc:
        raise DataError(f"Rejected by the database: {_first_line(exc)}") from exc
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DataError(f"Not allowed: {_first_line(exc)}") from exc
    except psycopg.errors.ProgramLimitExceeded as exc:  # a per-user limit (e.g. chat messages a minute)
        raise DataError(_first_line(exc)) from exc
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"The database is unavailable: {_first_line(exc)}") from exc
    except psycopg.Error as exc:
        raise DatabaseError(f"Database error: {_first_line(exc)}") from exc


_CONSTRAINT_MESSAGES = {
    "ratings_rating_half_steps": "a rating must be between 0.5 and 5 stars in half-star steps",
    "recommendations_confidence_range": "confidence must be between 0 and 1",
    "movie_conversations_conversation_type_check": "unknown conversation type",
}


def _constraint_message(exc: psycopg.Error) -> str:
    name = getattr(exc.diag, "constraint_name", None)
    return _CONSTRAINT_MESSAGES.get(name or "", _first_line(exc))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
