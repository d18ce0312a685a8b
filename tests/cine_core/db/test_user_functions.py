"""The functions a signed-in person calls, and the movie-night rows two people share: each shows and touches
only what is the caller's own (the per-table and per-function rules are in test_privileges.py)."""

from __future__ import annotations

import psycopg
import pytest

from tests.cine_core.db.test_privileges import FILM_A, FILM_B, _as, _attempt, admin, two_users  # noqa: F401


def _call(db_url: str, user: str, statement: str, params=()) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        _as(conn, "authenticated", user)
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows


def test_user_functions_show_and_touch_only_the_callers_own_data(db_url, two_users, admin):  # noqa: F811
    a, b = two_users
    assert _call(db_url, a, "select waiting, last_failed_at from my_refresh_state(%s)", (b,)) == [(False, None)]
    assert _call(db_url, b, "select last_failed_at is not null from my_refresh_state(%s)", (b,)) == [(True,)]
    admin.execute("delete from recommendation_refresh_queue where status = 'pending'")
    assert _call(db_url, a, "select request_refresh('manual')") == [(True,)]
    pending = admin.execute("select user_id::text from recommendation_refresh_queue where status = 'pending'").fetchall()
    assert pending == [(a,)]
    assert _call(db_url, a, "select service, calls_30d from my_api_usage()") == [("anthropic", 1)]
    admin.execute("insert into api_usage (service, operation, user_id) values ('tmdb', 'search', %s)", (b,))
    assert _call(db_url, a, "select service, calls_30d from my_api_usage()") == [("anthropic", 1)]
    for statement in ("select * from app_status(120)", "select * from app_api_usage()"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _call(db_url, a, statement)
    with psycopg.connect(db_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(conn, "authenticated", None)  # the role without a signed-in user's claims
        conn.execute("select request_refresh('manual')")


def test_movie_night_rows_are_read_by_their_two_members_and_written_by_no_one(
        db_url, two_users, make_user, admin):  # noqa: F811
    a, b = two_users
    outsider = make_user("c@example.com")
    (code,), = _call(db_url, a, "select movie_night_invite('A')")
    (pair,), = _call(db_url, b, "select movie_night_accept(%s, 'B')", (code,))
    admin.execute("insert into movie_night_picks (pair_id, movie_id, rank, confidence, inviter_film_id,"
                  " inviter_film_rating) values (%s, %s, 1, 0.8, %s, 4)", (pair, FILM_B, FILM_A))
    for member in (a, b):
        for table in ("movie_night_pairs", "movie_night_picks"):
            assert _attempt(db_url, "authenticated", member, f"select * from {table}") == ("ok", 1), (member, table)
    for table in ("movie_night_pairs", "movie_night_picks"):
        assert _attempt(db_url, "authenticated", outsider, f"select * from {table}") == ("ok", 0), table
        assert _attempt(db_url, "anon", None, f"select * from {table}")[0] == "denied", table
    for statement in (
        "insert into movie_night_picks (pair_id, movie_id, rank, confidence) values (%(p)s, 680, 1, 1)",
        "update movie_night_picks set confidence = 1 where pair_id = %(p)s",
        "delete from movie_night_picks where pair_id = %(p)s",
        "update movie_night_pairs set invitee_name = 'x' where id = %(p)s",
        "delete from movie_night_pairs where id = %(p)s",
        "insert into movie_night_pairs (inviter_id, inviter_name, expires_at) values (%(a)s, 'x', now())",
    ):
        assert _attempt(db_url, "authenticated", a, statement, {"p": pair, "a": a})[0] == "denied", statement
    assert _call(db_url, outsider, "select movie_night_end(%s)", (pair,)) == [(False,)]
    assert _attempt(db_url, "authenticated", a, "select * from movie_night_picks") == ("ok", 1)
