"""Limits on what one person writes, enforced in the database: the app and the REST API meet the same wall."""

from __future__ import annotations

import pytest

from cine_core import chat
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError

PER_MINUTE, PER_DAY, MAX_CHARS = 30, 500, 2000
SAY = "insert into movie_conversations (user_id, conversation_type, what_you_said) values (%s, 'loved_it', %s)"


def _said(pool, user: str, n: int, *, minutes_ago: float = 0) -> None:
    with transaction(pool) as conn:
        conn.execute(
            "insert into movie_conversations (user_id, conversation_type, what_you_said, created_at)"
            " select %s, 'general_preference', 'hi', now() - make_interval(mins => %s) from generate_series(1, %s)",
            (user, minutes_ago, n))


def test_the_message_after_the_per_minute_limit_is_refused_with_a_clear_error(pool, local_user, make_user):
    _said(pool, local_user, PER_MINUTE)
    with pytest.raises(DataError, match=f"Too many chat messages: at most {PER_MINUTE} a minute"):
        chat.talk(pool, local_user, "I loved Heat", llm=False)
    with pytest.raises(DataError, match="at most"), user_transaction(pool, local_user) as conn:  # the REST path
        conn.execute(SAY, (local_user, "hello"))
    other = make_user()
    chat.talk(pool, other, "I loved Heat", llm=False)  # others are not limited


def test_the_per_day_limit_counts_the_last_24_hours(pool, local_user):
    _said(pool, local_user, PER_DAY - 1, minutes_ago=120)
    _said(pool, local_user, 1, minutes_ago=25 * 60)  # yesterday's do not count
    chat.talk(pool, local_user, "I loved Heat", llm=False)
    with pytest.raises(DataError, match=f"at most {PER_DAY} a day"):
        chat.talk(pool, local_user, "I loved Ronin", llm=False)


def test_an_overlong_message_is_refused_even_through_the_rest_grants(pool, local_user):
    with pytest.raises(DataError, match=f"at most {MAX_CHARS} characters"), user_transaction(pool, local_user) as conn:
        conn.execute(SAY, (local_user, "x" * (MAX_CHARS + 1)))
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from movie_conversations").fetchone()["n"] == 0


def test_an_import_writes_many_long_reviews_at_once(pool, local_user):
    """The limits are for typed messages; an import marks its transaction (the REST API cannot)."""
    with user_transaction(pool, local_user) as conn:
        conn.execute("select set_config('cine.importing', 'on', true)")
        for n in range(PER_MINUTE + 10):
            conn.execute(SAY, (local_user, f"review {n} " + "long " * 600))
    # and the mark ends with the import's transaction
    with pytest.raises(DataError, match="at most"), user_transaction(pool, local_user) as conn:
        conn.execute(SAY, (local_user, "hello"))
