"""Row-level security: with user A's claims, every per-user table shows only A's rows."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.night import accept_invite, compute_pair, create_invite

PER_USER_TABLES = ["ratings", "recommendations", "movie_conversations", "taste_profile", "watchlist"]
SERVICE_ONLY_TABLES = ["recommendation_refresh_queue", "api_usage", "worker_heartbeat", "source_cache"]
FILM_A, FILM_B = 27205, 157336


@pytest.fixture
def two_users(pool, make_user):
    a, b = make_user("a@example.com"), make_user("b@example.com")
    with transaction(pool) as conn:
        for film in (FILM_A, FILM_B):
            conn.execute("insert into movies (id, title) values (%s, %s) on conflict do nothing", (film, f"Film {film}"))
        for user in (a, b):
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 4)", (user, FILM_A))
            conn.execute(
                "insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                " values (%s, %s, 'because', 'trending', 0.8)",
                (user, FILM_B),
            )
            conn.execute(
                "insert into movie_conversations (user_id, conversation_type, what_you_said)"
                " values (%s, 'general_preference', 'hi')",
                (user,),
            )
            conn.execute("insert into taste_profile (user_id, preferences) values (%s, '{}')", (user,))
            conn.execute("insert into watchlist (user_id, movie_id) values (%s, %s)", (user, FILM_B))
            conn.execute(
                "insert into api_usage (service, operation, user_id) values ('tmdb', 'movie_details', %s)", (user,)
            )
    return a, b


@pytest.mark.parametrize("table", PER_USER_TABLES)
def test_user_sees_only_their_own_rows(pool, two_users, table):
    a, _ = two_users
    with user_transaction(pool, a) as conn:
        owners = {r["user_id"] for r in conn.execute(f"select user_id::text from {table}").fetchall()}
    assert owners == {a}


@pytest.mark.parametrize(
    "statement",
    [
        "insert into ratings (user_id, movie_id, rating) values (%(b)s, 157336, 3)",
        "insert into watchlist (user_id, movie_id) values (%(b)s, 27205)",
        "insert into movie_conversations (user_id, conversation_type, what_you_said) values (%(b)s, 'loved_it', 'x')",
        "insert into taste_profile (user_id) values (%(b)s)",
        "update ratings set user_id = %(b)s where user_id = %(a)s",
    ],
)
def test_writing_a_row_for_another_user_is_refused(pool, two_users, statement):
    a, b = two_users
    with pytest.raises(DataError):
        with user_transaction(pool, a) as conn:
            conn.execute(statement, {"a": a, "b": b})


def test_updating_another_users_rows_changes_nothing(pool, two_users):
    a, b = two_users
    with user_transaction(pool, a) as conn:
        cur = conn.execute("update ratings set rating = 1 where user_id = %s", (b,))
        assert cur.rowcount == 0
        cur = conn.execute("update recommendations set feedback = 'down' where user_id = %s", (b,))
        assert cur.rowcount == 0
    with pool.connection() as conn:
        assert conn.execute("select rating from ratings where user_id = %s", (b,)).fetchone()["rating"] == 4


def test_users_cannot_write_picks_or_confidence_themselves(pool, two_users):
    a, _ = two_users
    with pytest.raises(DataError):
        with user_transaction(pool, a) as conn:
            conn.execute("update recommendations set confidence = 1 where user_id = %s", (a,))


@pytest.mark.parametrize("table", PER_USER_TABLES)
def test_anon_sees_nothing(db_url, two_users, table):
    with psycopg.connect(db_url) as conn:
        conn.execute("set role anon")
        try:
            rows = conn.execute(f"select * from {table}").fetchall()
        except psycopg.errors.InsufficientPrivilege:
            rows = []
    assert rows == []


@pytest.mark.parametrize("role", ["anon", "authenticated"])
@pytest.mark.parametrize("table", SERVICE_ONLY_TABLES)
def test_queue_usage_and_worker_tables_are_not_readable_by_app_roles(db_url, two_users, role, table):
    a, _ = two_users
    with psycopg.connect(db_url) as conn:
        conn.execute("select set_config('request.jwt.claims', %s, false)", (f'{{"sub": "{a}"}}',))
        conn.execute(f"set role {role}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"select * from {table}")


def test_films_are_readable_by_everyone(db_url, two_users):
    with psycopg.connect(db_url) as conn:
        conn.execute("set role anon")
        assert conn.execute("select count(*) from movies").fetchone()[0] >= 2


def _fail_refresh(pool, user: str) -> None:
    with transaction(pool) as conn:
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, attempts,"
                     " processed_at, last_error) values (%s, 'manual', 'failed', 5, now(), 'secret internals')",
                     (user,))


def test_refresh_state_shows_a_user_only_their_own_jobs_and_no_error_text(pool, two_users):
    a, b = two_users
    _fail_refresh(pool, b)
    with user_transaction(pool, a) as conn:
        mine = conn.execute("select * from my_refresh_state(%s)", (a,)).fetchall()
    assert [(r["waiting"], r["last_failed_at"]) for r in mine] == [(True, None)]  # a's rating queued a refresh
    with user_transaction(pool, b) as conn:
        (theirs,) = conn.execute("select * from my_refresh_state(%s)", (b,)).fetchall()
    assert theirs["last_failed_at"] is not None
    assert "secret internals" not in str(theirs)
    with user_transaction(pool, a) as conn:
        asked_for_b = conn.execute("select * from my_refresh_state(%s)", (b,)).fetchall()
    assert [(r["waiting"], r["last_failed_at"]) for r in asked_for_b] == [(False, None)]


def test_anon_cannot_read_refresh_state(db_url, two_users):
    a, _ = two_users
    with psycopg.connect(db_url) as conn:
        conn.execute("set role anon")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from my_refresh_state(%s)", (a,))


def _pair(pool, inviter: str, invitee: str) -> int:
    with user_transaction(pool, inviter) as conn:
        code = create_invite(conn, "Inviter")
    with user_transaction(pool, invitee) as conn:
        return accept_invite(conn, code, "Invitee")


def test_a_movie_night_partner_reads_the_joint_picks_and_nothing_else_of_the_other(pool, two_users, make_user):
    a, b = two_users
    c, d = make_user("c@example.com"), make_user("d@example.com")
    ours, theirs = _pair(pool, a, b), _pair(pool, c, d)
    assert compute_pair(pool, ours, default_region="US") and compute_pair(pool, theirs, default_region="US")
    with user_transaction(pool, a) as conn:
        for table in (*PER_USER_TABLES, "film_feedback", "user_settings"):
            rows = conn.execute(f"select 1 from {table} where user_id = %s", (b,)).fetchall()
            assert rows == [], table
        picks = conn.execute("select distinct pair_id from movie_night_picks").fetchall()
        pairs = conn.execute("select id from movie_night_pairs").fetchall()
    assert [r["pair_id"] for r in picks] == [ours] and [r["id"] for r in pairs] == [ours]
    with user_transaction(pool, c) as conn:
        assert conn.execute("select 1 from movie_night_picks where pair_id = %s", (ours,)).fetchall() == []
    with pytest.raises(DataError), user_transaction(pool, a) as conn:
        conn.execute("insert into movie_night_picks (pair_id, movie_id, rank, confidence) values (%s, %s, 99, 1)",
                     (ours, FILM_A))
    with user_transaction(pool, b) as conn:
        assert conn.execute("select movie_night_end(%s) as ended", (ours,)).fetchone()["ended"]
    with user_transaction(pool, a) as conn:
        assert conn.execute("select 1 from movie_night_picks").fetchall() == []
