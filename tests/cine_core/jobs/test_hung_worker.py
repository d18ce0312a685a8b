"""A hung worker (SIGSTOP) cannot hold a person's refresh forever (#24.5): lock waits count, a job deferred
too often fails visibly, a dead holder's lock is taken from it, and a worker that lost its lease cannot
store results."""

from __future__ import annotations

import psycopg
import pytest

from cine_core.db import transaction
from cine_core.jobs import job_lease, refresh_queue, user_lock
from worker.jobs import locked_job


def _claim(pool, worker: str = "w1") -> refresh_queue.Job:
    with transaction(pool) as conn:
        job = refresh_queue.claim_next(conn, worker)
    assert job is not None
    return job


def _queue(pool) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select status, deferrals, last_error from recommendation_refresh_queue"
                            " order by id").fetchall()


def test_a_job_deferred_too_often_fails_visibly(pool, local_user):
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, local_user, "new_rating")
    ran = []
    job_handler = locked_job(pool, ran.append, wait_seconds=0, defer_seconds=0)
    with user_lock.scoring_lock(pool, local_user):  # held by someone who never lets go
        for attempt in range(1, job_lease.MAX_DEFERRALS):
            job = _claim(pool)
            assert job.deferrals == attempt - 1
            job_handler(job)
            with transaction(pool) as conn:
                refresh_queue.complete(conn, job, "w1")
        job = _claim(pool)
        with pytest.raises(job_lease.JobGivenUp):
            job_handler(job)
    assert ran == []
    [row] = _queue(pool)
    assert row["status"] == "failed" and row["deferrals"] == job_lease.MAX_DEFERRALS
    assert "scoring lock" in row["last_error"]


def test_a_lock_held_by_a_worker_that_stopped_beating_is_taken_over(pool, db_url, local_user):
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, started_at, last_seen)"
                     " values ('frozen', now() - interval '1 hour', now() - interval '1 minute')")
    frozen = psycopg.connect(db_url, autocommit=True)  # the SIGSTOPped worker's lock session
    try:
        frozen.execute("set application_name = 'cine-worker frozen'")
        assert frozen.execute("select pg_try_advisory_lock(hashtextextended('cine_scoring:' || %s, 0))",
                              (local_user,)).fetchone()[0]
        with user_lock.scoring_lock(pool, local_user, wait_seconds=0.2) as without_eviction:
            assert without_eviction is False
        with user_lock.scoring_lock(pool, local_user, wait_seconds=0.2, dead_after_seconds=15) as held:
            assert held is True
        assert frozen.closed or frozen.broken or _session_gone(frozen)
    finally:
        frozen.close()


def _session_gone(conn) -> bool:
    try:
        conn.execute("select 1")
    except psycopg.OperationalError:
        return True
    return False


def test_a_live_holder_is_not_evicted(pool, db_url, local_user):
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, started_at, last_seen) values ('busy', now(), now())")
    with psycopg.connect(db_url, autocommit=True) as busy:
        busy.execute("set application_name = 'cine-worker busy'")
        busy.execute("select pg_advisory_lock(hashtextextended('cine_scoring:' || %s, 0))", (local_user,))
        with user_lock.scoring_lock(pool, local_user, wait_seconds=0.2, dead_after_seconds=15) as held:
            assert held is False
        assert busy.execute("select 1").fetchone()[0] == 1


def test_a_worker_that_lost_its_lease_cannot_store_results(pool, local_user):
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, local_user, "manual")
    stale = _claim(pool, "stale")
    with transaction(pool) as conn:
        job_lease.assert_lease(conn, stale)  # still ours: no error
        conn.execute("update recommendation_refresh_queue set locked_until = now() - interval '1 s'")
    retaken = _claim(pool, "fresh")
    assert retaken.id == stale.id and retaken.locked_by == "fresh"
    with pytest.raises(job_lease.LeaseLost), transaction(pool) as conn:
        conn.execute("create temp table picks_written (n int)")
        job_lease.assert_lease(conn, stale)
    with transaction(pool) as conn:
        job_lease.assert_lease(conn, retaken)
