"""The embedded Postgres (pgserver) used when DATABASE_URL is unset."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import psycopg

from cine_core.config import Settings
from cine_core.domain.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

EMBEDDED_DB_NAME = "cineai"

_embedded_servers: dict[Path, object] = {}


def database_url(settings: Settings) -> str:
    """DATABASE_URL if set, else the URL of the embedded server (started if needed)."""
    if settings.database_url:
        return settings.database_url.get_secret_value()
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
