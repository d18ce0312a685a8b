"""Test fixtures: a real Postgres (embedded pgserver, or TEST_DATABASE_URL), one fresh database per test.

The schema and the offline catalog are built once into a template database; each test gets
`CREATE DATABASE … TEMPLATE cine_template` (~0.1 s), so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cine_core.config import LOCAL_USER_ID
from cine_core.db import ensure_local_user, migrate, open_pool, prepare_runtime_dir, transaction

TEMPLATE_DB = "cine_template"
_counter = itertools.count()

# Tests must never reach real services or read a developer's keys.
for _key in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "TMDB_API_KEY", "TMDB_READ_ACCESS_TOKEN",
             "SUPABASE_URL", "SUPABASE_ANON_KEY", "DATABASE_URL", "APP_DATABASE_URL", "SMTP_URL", "CINE_MAIL_FROM",
             "CINE_SECRET_KEY", "CINE_REGION", "CINE_OPERATOR_EMAILS", "CINE_LLM_DAILY_BUDGET_USD",
             "CINE_LLM_USER_DAILY_CALLS"):
    os.environ.pop(_key, None)
prepare_runtime_dir()


def _with_db(url: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


@pytest.fixture(scope="session")
def pg_server_url():
    """Admin URL of the Postgres server the suite uses."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="cine-test-"))
    server = pgserver.get_server(data_dir / "pgdata", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def template_url(pg_server_url):
    """A migrated database with the offline catalog and the local user, used as a template."""
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(TEMPLATE_DB)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(TEMPLATE_DB)))
    url = _with_db(pg_server_url, TEMPLATE_DB)
    migrate(url)
    pool = open_pool(url, max_size=2, name="template")
    try:
        from cine_core.films.catalog_loader import load_catalog_into_db

        load_catalog_into_db(pool)
        with transaction(pool) as conn:
            ensure_local_user(conn)
    finally:
        pool.close()
    return url


@pytest.fixture
def db_url(pg_server_url, template_url):
    """URL of a fresh database for this test, copied from the template."""
    name = f"cine_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {} template {}").format(sql.Identifier(name), sql.Identifier(TEMPLATE_DB)))
    yield _with_db(pg_server_url, name)
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def pool(db_url):
    p = open_pool(db_url, max_size=6, name="test")
    yield p
    p.close()


@pytest.fixture
def local_user() -> str:
    return LOCAL_USER_ID


@pytest.fixture
def make_user(pool):
    """Create extra users in auth.users: make_user('b@example.com') -> id."""

    def _make(email: str | None = None) -> str:
        with transaction(pool) as conn:
            row = conn.execute(
                "insert into auth.users (email) values (%s) returning id::text as id",
                (email or f"user{next(_counter)}@example.com",),
            ).fetchone()
        return row["id"]

    return _make
