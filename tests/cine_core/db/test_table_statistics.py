"""Nobody but the server reads how many rows a table holds from the statistics views or their functions."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError

PROBES = [
    "select relname, n_live_tup from pg_stat_user_tables where relname = 'ratings'",
    "select relname, n_tup_ins from pg_stat_all_tables where relname = 'movie_conversations'",
    "select relname, n_tup_ins from pg_stat_xact_user_tables",
    "select heap_blks_read from pg_statio_user_tables",
    "select idx_scan from pg_stat_user_indexes",
    "select pg_stat_get_live_tuples('public.ratings'::regclass)",
    "select pg_stat_get_tuples_inserted('public.movie_conversations'::regclass)",
    "select tup_inserted from pg_stat_database",
]


def _as_role(db_url: str, role: str, statement: str) -> None:
    with psycopg.connect(db_url) as conn:
        conn.execute(f"set role {role}")
        conn.execute(statement).fetchall()


@pytest.mark.parametrize("statement", PROBES)
@pytest.mark.parametrize("role", ["anon", "cine_app"])
def test_the_public_and_the_app_role_cannot_read_table_statistics(db_url, role, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as_role(db_url, role, statement)


@pytest.mark.parametrize("statement", PROBES)
def test_a_signed_in_person_cannot_read_table_statistics(pool, local_user, statement):
    with pytest.raises(DataError, match="Not allowed"), user_transaction(pool, local_user) as conn:
        conn.execute(statement).fetchall()


def test_the_server_still_reads_them_and_sessions_stay_visible(pool, local_user):
    with transaction(pool) as conn:
        assert conn.execute(PROBES[0]).fetchall()
    with user_transaction(pool, local_user) as conn:  # the worker's lock check reads pg_stat_activity
        assert conn.execute("select count(*) as n from pg_stat_activity where pid = pg_backend_pid()").fetchone()["n"] == 1
