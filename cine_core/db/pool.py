"""Connections: a psycopg pool, service transactions and user-scoped (RLS) transactions, error mapping.

The app's pool is an `AppPool` (cine_core.db.app_role): its own connections log in as the app role, which
holds `authenticated` and nothing else, so `user_transaction` on it can never climb back to service rights
(`reset role` lands on a role without privileges). `app_transaction()` runs as that role itself, for the
narrow security-definer functions granted to it (usage rows, the Claude caps, the operator's figures).
`service_transaction()` on an AppPool uses its `server` pool: the service connection the app still keeps for
the server-owned writes not yet behind such functions (film cache, chat learning, the operator's retries).
"""

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


class AppPool(ConnectionPool):
    """The app's pool: connections as the app login role (user work only); `server` is the service pool."""

    def __init__(self, *args, server: ConnectionPool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.server = server

    def close(self, timeout: float = 5.0) -> None:
        try:
            super().close(timeout)
        finally:
            self.server.close(timeout)


def open_pool(url: str, *, min_size: int = 1, max_size: int = 8, name: str = "cineai",
              server: ConnectionPool | None = None) -> ConnectionPool:
    """A psycopg pool with dict rows; raises DatabaseUnavailable instead of hanging.

    With `server`, an AppPool whose `transaction()` runs on that service pool."""
    check_connection(url)
    extra = {} if server is None else {"server": server}
    pool = (ConnectionPool if server is None else AppPool)(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        name=name,
        open=False,
        **extra,
    )
    try:
        pool.open(wait=True, timeout=10)
    except Exception as exc:
        raise DatabaseUnavailable(f"Cannot open a connection pool to {_redact(url)}: {exc}") from exc
    return pool


@contextlib.contextmanager
def service_transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A transaction with service rights (worker, setup, CLI, and what is left of the app's server-owned
    writes): commits on success, maps driver errors. On an AppPool it runs on the app's service pool, never
    as the app role. tests/cine_core/db/test_service_rights.py lists where the app may still use it."""
    service = pool.server if isinstance(pool, AppPool) else pool
    with translate_errors(), service.connection() as conn:
        with conn.transaction():
            yield conn


transaction = service_transaction  # the old name: it hid the service rights; new code says service_transaction


@contextlib.contextmanager
def app_transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A transaction as the pool's own login, no role switch and no claims: on the app's pool that is cine_app,
    which may only execute the security-definer functions granted to it (record_api_usage,
    claude_spend_today, app_status, app_api_usage); on a service pool (worker, tests) it has service rights."""
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
    """A connection URL or key=value conninfo with its password replaced by ***."""
    url = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
    return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
