"""Connections: a psycopg pool, service transactions and user-scoped (RLS) transactions, error mapping.

The app's pool is an `AppPool` (cine_core.db.app_role): every connection logs in as the app role, which holds
`authenticated` and nothing else, so `user_transaction` on it can never climb back to service rights
(`reset role` lands on a role without privileges). `app_transaction()` runs as that role itself, for the
narrow security-definer functions granted to it (usage rows, the Claude caps, the operator's figures, the film
cache, movie night's joint picks); `shared_transaction()` reads what every signed-in person reads (films).
The app holds no service login at all: `service_transaction()` on an AppPool raises NoServiceRights.
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


class NoServiceRights(DatabaseError):
    """Service rights asked of the app's pool, which has none (it logs in as the app role only)."""


class AppPool(ConnectionPool):
    """The app's pool: every connection logs in as the app role (user work and its functions), none with
    service rights; `service_transaction` on it raises NoServiceRights."""


def open_pool(url: str, *, min_size: int = 1, max_size: int = 8, name: str = "cineai",
              app: bool = False) -> ConnectionPool:
    """A psycopg pool with dict rows; raises DatabaseUnavailable instead of hanging. `app=True`: an AppPool."""
    check_connection(url)
    pool = (AppPool if app else ConnectionPool)(
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
def service_transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A transaction with service rights (worker, setup, CLI): commits on success, maps driver errors.
    The app's pool has no service login: on an AppPool this raises NoServiceRights before connecting."""
    if isinstance(pool, AppPool):
        raise NoServiceRights(
            "The app has no service rights: server-owned writes go through the security-definer functions granted "
            "to its role (cine_core.db.app_transaction; docs/roles.md), or to the worker")
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            yield conn


transaction = service_transaction  # the old name: it hid the service rights; new code says service_transaction


@contextlib.contextmanager
def app_transaction(pool: ConnectionPool, *, user_id: str | None = None) -> Iterator[psycopg.Connection]:
    """A transaction as the pool's own login, no role switch: on the app's pool that is cine_app, which may only
    execute the security-definer functions granted to it (docs/roles.md); on a service pool (worker, tests) it
    has service rights. With `user_id`, the transaction carries that person's JWT claims, so a function that
    acts only for the signed-in person (`auth.uid()`, e.g. a movie night's joint picks) knows who that is."""
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            if user_id is not None:
                conn.execute("select set_config('request.jwt.claims', %s, true)", (_claims(user_id),))
            yield conn


@contextlib.contextmanager
def shared_transaction(pool: ConnectionPool) -> Iterator[psycopg.Connection]:
    """A read of what every signed-in person reads (films): role `authenticated` with no claims, so RLS shows
    no one's own rows. The same on the app's pool and a service pool."""
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            conn.execute("set local role authenticated")
            yield conn


@contextlib.contextmanager
def user_transaction(pool: ConnectionPool, user_id: str) -> Iterator[psycopg.Connection]:
    """A transaction scoped to one user: role `authenticated` and JWT claims set, so RLS applies.

    Queries should still filter by user_id explicitly; RLS is the safety net.
    """
    with translate_errors(), pool.connection() as conn:
        with conn.transaction():
            conn.execute("select set_config('request.jwt.claims', %s, true)", (_claims(user_id),))
            conn.execute("set local role authenticated")
            yield conn


def _claims(user_id: str) -> str:
    return json.dumps({"sub": str(user_id), "role": "authenticated"})


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """Map psycopg errors onto CineError subclasses with a readable message."""
    try:
        yield
    except psycopg.errors.CheckViolation as exc:
        raise DataError(f"Rejected by the database: {_constraint_message(exc)}") from exc
    except (psycopg.errors.UniqueViolation, psycopg.errors.ForeignKeyViolation, psycopg.errors.NotNullViolation) as exc:
        raise DataError(f"Rejected by the database: {_first_line(exc)}") from exc
    except psycopg.errors.InvalidParameterValue as exc:  # a security-definer function refused its arguments
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
