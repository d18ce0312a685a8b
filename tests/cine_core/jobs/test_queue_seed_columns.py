"""The seed's queue columns: movie_id (the film that triggered the refresh) and queued_at, rows kept."""

from __future__ import annotations

import itertools

import psycopg
import pytest
from psycopg import sql

from cine_core.app import actions
from cine_core.db import transaction
from cine_core.db.migrations import BOOTSTRAP_SQL, migration_files
from cine_core.jobs import refresh_queue

HEAT, RONIN = 949, 8195
_names = itertools.count()


def _pending(pool, user: str) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select movie_id, queued_at = created_at as same, trigger_type"
                            " from recommendation_refresh_queue where user_id = %s and status = 'pending'",
                            (user,)).fetchall()


def test_a_rating_names_its_film_and_a_burst_keeps_one_job_naming_the_latest(pool, local_user):
    actions.rate(pool, local_user, HEAT, 4.5)
    assert _pending(pool, local_user) == [{"movie_id": HEAT, "same": True, "trigger_type": "new_rating"}]
    actions.rate(pool, local_user, RONIN, 3.0)
    assert _pending(pool, local_user) == [{"movie_id": RONIN, "same": True, "trigger_type": "new_rating"}]
    with transaction(pool) as conn:
        job = refresh_queue.claim_next(conn, "w1")
    assert job is not None and job.movie_id == RONIN


def test_enqueue_takes_a_film_and_still_says_whether_a_job_was_created(pool, local_user):
    with transaction(pool) as conn:
        assert refresh_queue.request_refresh(conn, local_user, "chat", movie_id=HEAT) is True
        assert refresh_queue.request_refresh(conn, local_user, "manual") is False
    assert [r["movie_id"] for r in _pending(pool, local_user)] == [HEAT]  # no film named: the old one stays


@pytest.fixture
def half_migrated(pg_server_url):
    """A database with every migration before the queue-columns one, like an installation from before."""
    name = f"cine_half_{next(_names)}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(pg_server_url) | {"dbname": name}
    url = psycopg.conninfo.make_conninfo(**info)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(BOOTSTRAP_SQL.read_text())
        later = []
        for version, _name, path in migration_files():
            (conn.execute(path.read_text()) if version < "20261130001200" else later.append(path))
        yield conn, later
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def test_the_migration_keeps_existing_queue_rows(half_migrated):
    conn, later = half_migrated
    user = conn.execute("insert into auth.users (email) values ('old@example.com') returning id").fetchone()[0]
    conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, created_at)"
                 " values (%s, 'manual', '2026-11-01T10:00:00Z')", (user,))
    conn.execute(later[0].read_text())
    row = conn.execute("select trigger_type, movie_id, queued_at, created_at from recommendation_refresh_queue").fetchall()
    assert len(row) == 1 and row[0][0] == "manual" and row[0][1] is None and row[0][2] == row[0][3]
