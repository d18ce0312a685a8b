"""One enqueue path (#26.2) and manual refreshes limited in the database (#24.1).

Every trigger kind reaches the queue through public.enqueue_refresh, with one rule for what a new request
does to a queued job; a person's manual requests are limited and coalesce; one person holds one lane.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cine_core.app import actions
from cine_core.config import PROJECT_ROOT
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import CineError, DataError
from cine_core.domain.models import TriggerType
from cine_core.jobs import refresh_queue

HEAT, RONIN = 949, 8195


def _queue(pool, user: str) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select trigger_type, movie_id, status from recommendation_refresh_queue"
                            " where user_id = %s order by id", (user,)).fetchall()


def _claim(pool, worker: str = "w1"):
    with transaction(pool) as conn:
        return refresh_queue.claim_next(conn, worker)


@pytest.mark.parametrize("trigger", [t for t in TriggerType if t is not TriggerType.NEW_RATING])
def test_every_trigger_kind_queues_one_job_through_the_one_function(pool, local_user, trigger):
    with user_transaction(pool, local_user) as conn:
        assert refresh_queue.request_refresh(conn, local_user, trigger, movie_id=HEAT) is True
    assert _queue(pool, local_user) == [{"trigger_type": str(trigger), "movie_id": HEAT, "status": "pending"}]


def test_a_rating_queues_through_the_same_function(pool, local_user):
    actions.rate(pool, local_user, HEAT, 4.0)
    assert _queue(pool, local_user) == [{"trigger_type": "new_rating", "movie_id": HEAT, "status": "pending"}]


def test_a_queued_job_absorbs_new_requests_by_one_rule(pool, local_user):
    actions.rate(pool, local_user, HEAT, 4.0)  # the trigger
    with user_transaction(pool, local_user) as conn:  # the app
        assert refresh_queue.request_refresh(conn, local_user, TriggerType.MANUAL) is False
    # 'manual' upgrades the queued job (the person waits for a new set); no film named keeps the film
    assert _queue(pool, local_user) == [{"trigger_type": "manual", "movie_id": HEAT, "status": "pending"}]
    actions.rate(pool, local_user, RONIN, 3.0)  # a named film replaces the queued one, manual stays
    with transaction(pool) as conn:  # the worker
        assert refresh_queue.request_refresh(conn, local_user, TriggerType.SCHEDULED) is False
    assert _queue(pool, local_user) == [{"trigger_type": "manual", "movie_id": RONIN, "status": "pending"}]


def test_a_person_cannot_queue_for_someone_else(pool, local_user, make_user):
    other = make_user()
    with pytest.raises(CineError, match="own picks"), user_transaction(pool, local_user) as conn:
        refresh_queue.request_refresh(conn, other, TriggerType.FEEDBACK)
    assert _queue(pool, other) == []


def test_only_the_enqueue_function_inserts_into_the_queue(pool):
    with transaction(pool) as conn:
        rows = conn.execute("select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
                            " where n.nspname = 'public'"
                            " and p.prosrc ilike '%%insert into public.recommendation_refresh_queue%%'").fetchall()
    assert [r["proname"] for r in rows] == ["enqueue_refresh"]
    code = [p for folder in ("cine_core", "worker", "pages", "ui") for p in (PROJECT_ROOT / folder).rglob("*")
            if p.suffix in (".py", ".sql")]
    inserting = [str(p.relative_to(PROJECT_ROOT)) for p in code
                 if "insert into public.recommendation_refresh_queue" in Path(p).read_text().lower()]
    assert inserting == []
    assert not hasattr(refresh_queue, "enqueue")


def test_manual_refreshes_coalesce_and_are_limited_in_the_database(pool, local_user):
    created = []
    with user_transaction(pool, local_user) as conn:
        created += [refresh_queue.request_refresh(conn, local_user, TriggerType.MANUAL) for _ in range(20)]
    assert created == [True] + [False] * 19  # the queued manual job covers the rest, free
    assert _claim(pool) is not None  # the worker takes it; the next request is a new job
    with user_transaction(pool, local_user) as conn:
        assert refresh_queue.request_refresh(conn, local_user, TriggerType.MANUAL) is True
    assert _claim(pool, "w2") is None  # one person, one lane: their second job waits for the first
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    with pytest.raises(DataError, match="Too many refresh requests"), user_transaction(pool, local_user) as conn:
        refresh_queue.request_refresh(conn, local_user, TriggerType.MANUAL)
    assert _queue(pool, local_user) == []


def test_hammering_manual_refresh_for_a_minute_makes_two_jobs(pool, local_user, make_user):
    """The probe of #24.1: a request every 50 ms while a worker takes each job at once made 795 jobs a minute."""
    jobs = 0
    for _ in range(200):
        try:
            with user_transaction(pool, local_user) as conn:
                refresh_queue.request_refresh(conn, local_user, TriggerType.MANUAL)
        except DataError:
            pass
        job = _claim(pool)
        if job is not None:
            jobs += 1
            with transaction(pool) as conn:
                refresh_queue.complete(conn, job, "w1")
    assert jobs == 2


def test_other_triggers_are_not_limited(pool, local_user):
    jobs = 0
    for _ in range(5):
        with user_transaction(pool, local_user) as conn:
            assert refresh_queue.request_refresh(conn, local_user, TriggerType.FEEDBACK) is True
        job = _claim(pool)
        with transaction(pool) as conn:
            jobs += refresh_queue.complete(conn, job, "w1")
    assert jobs == 5
