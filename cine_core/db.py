"""Database access: embedded Postgres when DATABASE_URL is unset, a psycopg pool, migrations, RLS scoping."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from cine_core.config import PROJECT_ROOT, Settings
from cine_core.errors import DatabaseError, DatabaseUnavailable, DataError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = PROJECT_ROOT / "supabase" / "migrations"
BOOTSTRAP_SQL = PROJECT_ROOT / "supabase" / "local" / "bootstrap.sql"
EMBEDDED_DB_NAME = "cineai"
MIGRATION_LOCK_KEY = 72_406_001  # advisory lock id: one migrator at a time
_MIGRATION_NAME = re.compile(r"^(\d{14})_(\w+)\.sql$")

_embedded_servers: dict[Path, object] = {}


def database_url(settings: Settings) -> str:
    """DATABASE_URL if set, else the URL of the embedded server (started if needed)."""
    if settings.database_url:
        return settings.database_url
    return embedded_database_url(settings.cine_data_dir)


def embedded_database_url(data_dir: Path, *, cleanup_mode: str | None = "stop") -> str:
    """Start (or join) the embedded pgserver in `data_dir/pgdata`; return a URL to database `cineai`.

    Several processes may share one data dir: pgserver counts handles and the last one out stops it.
    """
    pgdata = Path(data_dir).resolve() / "pgdata"
    server = _embedded_servers.get(pgdata)
    if server is None:
        prepare_runtime_dir()
        import pgserver  # imported lazily: only needed without DATABASE_URL

        pgdata.mkdir(parents=True, exist_ok=True)
        _prune_dead_handles(pgdata)
        try:
            server = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
        except Exception as exc:  # pgserver raises bare subprocess/assert errors
            raise DatabaseUnavailable(f"Could not start the embedded Postgres in {pgdata}: {exc}") from exc
        _embedded_servers[pgdata] = server
    base = server.get_uri()
    _ensure_database(base, EMBEDDED_DB_NAME)
    return server.get_uri(EMBEDDED_DB_NAME)


def prepare_runtime_dir() -> None:
    """pgserver keeps its lock under XDG_RUNTIME_DIR; give it a private (0700) one to avoid warnings."""
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current and Path(current).is_dir() and (Path(current).stat().st_mode & 0o077) == 0:
        return
    runtime = Path(f"/tmp/cineai-runtime-{os.getuid()}")
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def _prune_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without cleanup (SIGKILL), so the server still stops later."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if _pid_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ensure_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone()
        if not exists:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(psycopg.sql.SQL("create database {}").format(psycopg.sql.Identifier(name)))


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


# --- migrations -------------------------------------------------------------------------------

def migration_files() -> list[tuple[str, str, Path]]:
    """(version, name, path) for every file in supabase/migrations, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise DatabaseError(f"Migration file {path.name} is not named <14-digit timestamp>_<name>.sql")
        found.append((m.group(1), m.group(2), path))
    return found


def is_supabase(conn: psycopg.Connection) -> bool:
    """A hosted/CLI Supabase database has its own auth admin role; never bootstrap there."""
    row = conn.execute("select exists(select 1 from pg_roles where rolname = 'supabase_auth_admin') as yes").fetchone()
    return bool(row["yes"] if isinstance(row, dict) else row[0])


def migrate(url: str) -> list[str]:
    """Apply the local bootstrap (plain Postgres only) and unapplied migrations; return applied versions."""
    applied: list[str] = []
    with translate_errors(), psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            if not is_supabase(conn):
                with conn.transaction():
                    conn.execute(BOOTSTRAP_SQL.read_text())
            conn.execute("create schema if not exists supabase_migrations")
            conn.execute(
                "create table if not exists supabase_migrations.schema_migrations "
                "(version text primary key, statements text[], name text)"
            )
            done = {r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations")}
            for version, name, path in migration_files():
                if version in done:
                    continue
                sql = path.read_text()
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute(
                        "insert into supabase_migrations.schema_migrations (version, statements, name) "
                        "values (%s, %s, %s)",
                        (version, [sql], name),
                    )
                log.info("Applied migration %s_%s", version, name)
                applied.append(version)
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied


def ensure_local_user(conn: psycopg.Connection) -> str:
    """Create the single local user (no-login mode) if missing; return its id."""
    from cine_core import LOCAL_USER_EMAIL, LOCAL_USER_ID

    conn.execute(
        "insert into auth.users (id, email) values (%s, %s) on conflict (id) do nothing",
        (LOCAL_USER_ID, LOCAL_USER_EMAIL),
    )
    return LOCAL_USER_ID
