"""One person's imports cannot hold up everybody else's: at most two open per person, and the lane takes turns."""

from __future__ import annotations

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.jobs import import_jobs


def _submit(pool, user: str, name: str) -> int:
    with user_transaction(pool, user) as conn:  # as the person, through the grants the REST API uses too
        return import_jobs.submit(conn, user, name, b"Name,Year\nHeat,1995\n")


def _claim(pool, worker: str = "w1") -> import_jobs.ClaimedImport | None:
    with transaction(pool) as conn:
        return import_jobs.claim_next(conn, worker)


def test_a_person_cannot_queue_a_third_import_until_one_has_finished(pool, local_user, make_user):
    _submit(pool, local_user, "one.csv")
    _submit(pool, local_user, "two.csv")
    with pytest.raises(DataError, match="At most 2 imports"):
        _submit(pool, local_user, "three.csv")
    _submit(pool, make_user("other@example.com"), "theirs.csv")  # someone else is not limited by it
    job = _claim(pool)
    with transaction(pool) as conn:
        import_jobs.finish(conn, job, report={}, error=None)
    _submit(pool, local_user, "three.csv")


def test_the_import_lane_takes_turns_between_people(pool, local_user, make_user):
    other = make_user("later@example.com")
    first = _submit(pool, local_user, "a1.csv")
    second = _submit(pool, local_user, "a2.csv")
    theirs = _submit(pool, other, "b1.csv")  # sent after both of mine
    claimed = _claim(pool)
    assert claimed.id == first  # nobody served yet: the oldest
    with transaction(pool) as conn:
        import_jobs.finish(conn, claimed, report={}, error=None)
    assert _claim(pool).id == theirs  # I was just served: their file before my second
    assert _claim(pool).id == second


def test_a_second_lane_does_not_take_a_persons_next_file_while_their_first_runs(pool, local_user, make_user):
    other = make_user("later@example.com")
    first = _submit(pool, local_user, "a1.csv")
    _submit(pool, local_user, "a2.csv")
    theirs = _submit(pool, other, "b1.csv")
    assert _claim(pool, "w1").id == first
    assert _claim(pool, "w2").id == theirs
