"""Migrations: the local bootstrap (plain Postgres only) and supabase/migrations, applied in order."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import psycopg

from cine_core.config import LOCAL_USER_EMAIL, LOCAL_USER_ID, PROJECT_ROOT
from cine_core.db.pool import translate_errors
from cine_core.domain.errors import DatabaseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = PROJECT_ROOT / "supabase" / "migrations"
BOOTSTRAP_SQL = PROJECT_ROOT / "supabase" / "local" / "bootstrap.sql"
MIGRATION_LOCK_KEY = 72_406_001  # advisory lock id: one migrator at a time
_MIGRATION_NAME = re.compile(r"^(\d{14})_(\w+)\.sql$")


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

    conn.execute(
        "insert into auth.users (id, email) values (%s, %s) on conflict (id) do nothing",
        (LOCAL_USER_ID, LOCAL_USER_EMAIL),
    )
    return LOCAL_USER_ID
