"""A scout pass adds missing scout_state rows once (start_pass); a claim only claims."""

from __future__ import annotations

from cine_core.db import transaction
from cine_core.recommend import scout_state
from tests.cine_core.test_scout import popular_ids, rate


def _claim(pool, due_before, limit: int = 10) -> list[str]:
    with transaction(pool) as conn:
        return scout_state.claim_due_users(conn, due_before=due_before, limit=limit)


def test_a_claim_adds_no_rows_and_start_pass_adds_the_missing_ones(pool, local_user, make_user):
    never_rated = make_user()
    rate(pool, local_user, popular_ids(pool, 2))
    with transaction(pool) as conn:
        conn.execute("delete from scout_state")
        due_before = scout_state.db_time(conn)
    assert _claim(pool, due_before) == []  # no O(users) insert on every claim
    with transaction(pool) as conn:
        due_before = scout_state.start_pass(conn, seconds_ago=0)
        assert scout_state.ensure_rows(conn) == 0  # idempotent
    assert _claim(pool, due_before) == [local_user]
    assert never_rated not in _claim(pool, due_before)
    assert _claim(pool, due_before) == []  # stamped: claimed once per pass
