"""The app's login role (cine_app): user work only, never service rights, whatever a statement tries."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.config import Settings
from cine_core.db import (
    APP_ROLE,
    AppPool,
    NoServiceRights,
    app_database_url,
    open_app_pool,
    service_transaction,
    transaction,
    user_transaction,
)
from cine_core.domain.errors import ConfigError, DatabaseUnavailable, DataError

HEAT = 949


@pytest.fixture
def app_pool(db_url):
    pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=2)
    yield pool
    pool.close()


def _role(conn) -> dict:
    return conn.execute(
        "select current_user as name, pg_has_role(current_user, 'service_role', 'member') as service,"
        " pg_has_role(current_user, 'authenticated', 'member') as authenticated, rolsuper, rolbypassrls"
        " from pg_roles where rolname = current_user").fetchone()


def test_the_app_logs_in_as_cine_app_which_is_not_a_member_of_service_role(app_pool):
    assert isinstance(app_pool, AppPool)
    with app_pool.connection() as conn:
        role = _role(conn)
    assert role == {"name": APP_ROLE, "service": False, "authenticated": True, "rolsuper": False,
                    "rolbypassrls": False}


@pytest.mark.parametrize("statement", [
    "update public.taste_profile set version = version + 1000",
    ("insert into public.recommendations (user_id, movie_id, score, reason, confidence)"
     " values ('00000000-0000-4000-8000-000000000001', 949, 1, 'x', 0.9)"),
    ("insert into public.recommendation_refresh_queue (user_id, trigger_type)"
     " values ('00000000-0000-4000-8000-000000000001', 'manual')"),
    "delete from public.api_usage",
    "update public.movies set title = 'x' where id = 949",
    "select count(*) from public.ratings",
    "set role service_role",
    "set role postgres",
])
def test_outside_a_user_transaction_the_app_role_can_do_nothing(app_pool, statement):
    with app_pool.connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_reset_role_inside_a_user_transaction_does_not_climb_to_service_rights(app_pool, local_user):
    with pytest.raises(DataError, match="Not allowed"), user_transaction(app_pool, local_user) as conn:
        conn.execute("reset role")
        conn.execute("update public.taste_profile set version = version + 1000 where user_id = %s", (local_user,))
    with pytest.raises(DataError, match="Not allowed"), user_transaction(app_pool, local_user) as conn:
        conn.execute("set local role service_role")


def test_user_transactions_on_the_app_pool_see_only_the_users_own_rows(app_pool, pool, local_user, make_user):
    other = make_user()
    with transaction(pool) as conn:  # a seed, with the test's service rights
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 4), (%s, %s, 2)",
                     (local_user, HEAT, other, HEAT))
    with user_transaction(app_pool, local_user) as conn:
        assert _role(conn)["name"] == "authenticated"
        rows = conn.execute("select user_id::text as user_id, rating from ratings").fetchall()
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 27205, 5)", (local_user,))
    assert [(r["user_id"], float(r["rating"])) for r in rows] == [(local_user, 4.0)]
    with pytest.raises(DataError), user_transaction(app_pool, local_user) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 27205, 5)", (other,))


def test_the_app_pool_opens_no_service_connection_and_refuses_service_rights(db_url):
    app_pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=3)
    try:
        with app_pool.connection() as a, app_pool.connection() as b, app_pool.connection() as c:
            logins = {tuple(conn.execute("select session_user as s, current_user as c").fetchone().values())
                      for conn in (a, b, c)}
        with pytest.raises(NoServiceRights, match="no service rights"), service_transaction(app_pool):
            pass
        with pytest.raises(NoServiceRights), transaction(app_pool):  # the old name too
            pass
        with psycopg.connect(db_url) as admin:  # every connection to this test's database but this one
            users = admin.execute("select usename from pg_stat_activity where datname = current_database()"
                                  " and pid <> pg_backend_pid()").fetchall()
    finally:
        app_pool.close()
    assert logins == {(APP_ROLE, APP_ROLE)}
    assert users and {u for (u,) in users} == {APP_ROLE}
    assert not hasattr(app_pool, "server")


def test_the_app_needs_no_service_url_when_its_own_is_set(db_url, tmp_path):
    own = psycopg.conninfo.make_conninfo(db_url, user=APP_ROLE)
    app_pool = open_app_pool(Settings(_env_file=None, database_url=None, app_database_url=own,
                                      cine_data_dir=tmp_path), max_size=1)
    try:
        with app_pool.connection() as conn:
            assert conn.execute("select session_user as s").fetchone()["s"] == APP_ROLE
    finally:
        app_pool.close()
    assert list(tmp_path.iterdir()) == []  # no embedded server was started for a service login


def test_an_app_url_that_logs_in_with_service_rights_is_refused(db_url):
    with pytest.raises(ConfigError, match="holds service rights"):
        open_app_pool(Settings(_env_file=None, database_url=db_url, app_database_url=db_url), max_size=1)


def test_an_app_role_that_cannot_act_as_a_user_is_refused(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = 'cine_test_stranger')"
                     " then create role cine_test_stranger login; end if; end $$")
    stranger = psycopg.conninfo.make_conninfo(db_url, user="cine_test_stranger")
    with pytest.raises(ConfigError, match="not a member of authenticated"):
        open_app_pool(Settings(_env_file=None, database_url=db_url, app_database_url=stranger), max_size=1)


def test_the_app_url_is_cine_app_on_the_service_database_unless_set():
    derived = psycopg.conninfo.conninfo_to_dict(app_database_url(Settings(
        _env_file=None, database_url="postgresql://postgres.abcref:secret@pooler.example.com:5432/postgres")))
    assert derived == {"user": "cine_app.abcref", "host": "pooler.example.com", "port": "5432", "dbname": "postgres"}
    local = psycopg.conninfo.conninfo_to_dict(app_database_url(Settings(
        _env_file=None, database_url="postgresql://postgres:pw@/cineai?host=/tmp/sock")))
    assert local == {"user": "cine_app", "host": "/tmp/sock", "dbname": "cineai"}
    explicit = "postgresql://cine_app:apppw@db.example.com/postgres"
    assert app_database_url(Settings(_env_file=None, database_url="postgresql://x@y/z",
                                     app_database_url=explicit)) == explicit


def test_an_app_role_that_cannot_log_in_is_a_clear_error(db_url):
    wrong = psycopg.conninfo.make_conninfo(db_url, user="no_such_role_here")
    with pytest.raises(DatabaseUnavailable, match="cannot log in as its own role") as caught:
        open_app_pool(Settings(_env_file=None, database_url=db_url, app_database_url=wrong), max_size=1)
    assert "APP_DATABASE_URL" in str(caught.value)
