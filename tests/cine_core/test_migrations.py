"""Migrations apply to an empty database, are recorded like the Supabase CLI does, and re-running is a no-op."""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from cine_core.db import migrate, migration_files


def _schema_fingerprint(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
            " where table_schema in ('public', 'auth') order by 1, 2, 3"
        ).fetchall()


def _fresh_db(pg_server_url: str, name: str) -> str:
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(pg_server_url)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


def test_migrations_apply_to_empty_database_and_second_run_changes_nothing(pg_server_url):
    url = _fresh_db(pg_server_url, "cine_migrate_empty")
    applied = migrate(url)
    assert applied == [version for version, _, _ in migration_files()]
    before = _schema_fingerprint(url)
    assert any(t == "recommendation_refresh_queue" for _, t, _, _ in before)

    assert migrate(url) == []
    assert _schema_fingerprint(url) == before
    with psycopg.connect(url) as conn:
        recorded = conn.execute("select version, name from supabase_migrations.schema_migrations order by 1").fetchall()
    assert [v for v, _ in recorded] == applied


def test_migration_files_are_named_like_the_supabase_cli_expects():
    files = migration_files()
    assert files, "no migrations found"
    for version, name, path in files:
        assert len(version) == 14 and version.isdigit()
        assert path.name == f"{version}_{name}.sql"


SUPABASE_ROLE_CREATED = re.compile(
    r"create\s+role\s+(if\s+not\s+exists\s+)?\"?(anon|authenticated|service_role|authenticator|supabase_\w+)\b")


def test_migrations_do_not_create_supabase_owned_objects():
    # `supabase db push` must work on a hosted project: auth schema and roles come from Supabase.
    for _, _, path in migration_files():
        text = path.read_text().lower()
        assert "create schema auth" not in text and "create schema if not exists auth" not in text
        # Our own login role (cine_app) is ours to create; the roles Supabase provides are not.
        assert not SUPABASE_ROLE_CREATED.search(text), path.name
        assert "create table auth." not in text and "create table if not exists auth." not in text
