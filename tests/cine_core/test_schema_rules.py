"""The schema's own rules: CHECKs with clear errors, the ratings trigger, and NOTIFY."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.db import transaction
from cine_core.domain.errors import DataError

MOVIE_ID = 27205  # Inception, present in the offline catalog


@pytest.fixture
def movie_id(pool):
    with transaction(pool) as conn:
        conn.execute(
            "insert into movies (id, title) values (%s, 'Inception') on conflict (id) do nothing", (MOVIE_ID,)
        )
    return MOVIE_ID


def _pending(pool, user_id):
    with pool.connection() as conn:
        return conn.execute(
            "select count(*) as n from recommendation_refresh_queue where user_id = %s and status = 'pending'",
            (user_id,),
        ).fetchone()["n"]


def test_insert_and_update_of_a_rating_enqueue_exactly_one_pending_refresh(pool, local_user, movie_id):
    with transaction(pool) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 4.5)", (local_user, movie_id))
    with transaction(pool) as conn:
        conn.execute("update ratings set rating = 3.5 where user_id = %s and movie_id = %s", (local_user, movie_id))
    assert _pending(pool, local_user) == 1
    with pool.connection() as conn:
        trigger = conn.execute("select trigger_type from recommendation_refresh_queue").fetchone()["trigger_type"]
    assert trigger == "new_rating"


def test_a_rating_notifies_a_listening_connection(pool, db_url, local_user, movie_id):
    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute("listen recommendation_refresh")
        with transaction(pool) as conn:
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 5)", (local_user, movie_id))
        received = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
    assert received == [local_user]


@pytest.mark.parametrize("bad_rating", ["0", "5.5", "3.3", "-1", "2.25"])
def test_out_of_range_or_non_half_step_ratings_are_rejected_and_nothing_is_written(
    pool, local_user, movie_id, bad_rating
):
    with pytest.raises(DataError, match="half-star"):
        with transaction(pool) as conn:
            conn.execute(
                "insert into ratings (user_id, movie_id, rating) values (%s, %s, %s::numeric)",
                (local_user, movie_id, bad_rating),
            )
    with pool.connection() as conn:
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 0
    assert _pending(pool, local_user) == 0


@pytest.mark.parametrize("good_rating", ["0.5", "3.5", "5"])
def test_half_step_ratings_are_accepted(pool, local_user, movie_id, good_rating):
    with transaction(pool) as conn:
        conn.execute(
            "insert into ratings (user_id, movie_id, rating) values (%s, %s, %s::numeric)",
            (local_user, movie_id, good_rating),
        )


def test_confidence_above_one_is_rejected(pool, local_user, movie_id):
    with pytest.raises(DataError, match="confidence must be between 0 and 1"):
        with transaction(pool) as conn:
            conn.execute(
                "insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                " values (%s, %s, 'x', 'trending', 1.2)",
                (local_user, movie_id),
            )
    with pool.connection() as conn:
        assert conn.execute("select count(*) as n from recommendations").fetchone()["n"] == 0


def test_unknown_conversation_type_is_rejected(pool, local_user):
    with pytest.raises(DataError, match="unknown conversation type"):
        with transaction(pool) as conn:
            conn.execute(
                "insert into movie_conversations (user_id, conversation_type, what_you_said)"
                " values (%s, 'rant', 'hello')",
                (local_user,),
            )
    with pool.connection() as conn:
        assert conn.execute("select count(*) as n from movie_conversations").fetchone()["n"] == 0


def test_unknown_discovery_source_is_rejected(pool, local_user, movie_id):
    with pytest.raises(DataError):
        with transaction(pool) as conn:
            conn.execute(
                "insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                " values (%s, %s, 'x', 'vibes', 0.5)",
                (local_user, movie_id),
            )
