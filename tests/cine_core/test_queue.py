"""The refresh queue on a real Postgres: claims, leases, retries, merges and stats."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from cine_core.db import load_sql, transaction
from cine_core.jobs import refresh_queue

WORKER = "w1"


def _enqueue(pool, user_id, trigger="manual"):
    with transaction(pool) as conn:
        return refresh_queue.request_refresh(conn, user_id, trigger)


def _claim(pool, worker=WORKER, lease=60.0):
    with pool.connection() as conn:
        return refresh_queue.claim_next(conn, worker, lease_seconds=lease)


def _rows(pool):
    with pool.connection() as conn:
        return conn.execute(
            "select id, user_id::text as user_id, status, attempts, locked_by, last_error,"
            " extract(epoch from run_after - now())::float8 as due_in"
            " from recommendation_refresh_queue order by id"
        ).fetchall()


def _expire_leases(pool):
    with transaction(pool) as conn:
        conn.execute("update recommendation_refresh_queue set locked_until = now() - interval '1 second'"
                     " where status = 'running'")


def test_enqueue_coalesces_a_burst_into_one_pending_job(pool, local_user):
    assert _enqueue(pool, local_user) is True
    assert _enqueue(pool, local_user, "new_rating") is False
    assert [r["status"] for r in _rows(pool)] == ["pending"]


def test_claim_takes_the_oldest_due_job_with_a_lease(pool, make_user):
    first, second = make_user(), make_user()
    _enqueue(pool, first)
    _enqueue(pool, second)
    job = _claim(pool, lease=30)
    assert job.user_id == first and job.attempts == 1 and job.trigger_type == "manual"
    row = _rows(pool)[0]
    assert row["status"] == "running" and row["locked_by"] == WORKER
    assert _claim(pool).user_id == second
    assert _claim(pool) is None


def test_claim_skips_locked_row(pool, db_url, make_user):
    first, second = make_user(), make_user()
    _enqueue(pool, first)
    _enqueue(pool, second)
    with psycopg.connect(db_url) as holder:  # another worker mid-claim holds the first row's lock
        holder.execute("select id from recommendation_refresh_queue where user_id = %s for update", (first,))
        job = _claim(pool)
        assert job is not None and job.user_id == second
        assert _claim(pool) is None
        holder.rollback()
    assert _claim(pool).user_id == first


def test_job_of_a_dead_worker_is_claimed_again_after_its_lease(pool, local_user):
    _enqueue(pool, local_user)
    lost = _claim(pool, worker="dead")
    assert _claim(pool, worker="alive") is None  # lease still live
    _expire_leases(pool)
    again = _claim(pool, worker="alive")
    assert again.id == lost.id and again.attempts == 2
    with pool.connection() as conn:
        assert refresh_queue.complete(conn, lost, "dead") is False
        assert refresh_queue.complete(conn, again, "alive") is True
    assert _rows(pool) == []


def test_pending_job_waits_while_the_same_user_is_being_refreshed(pool, local_user, make_user):
    other = make_user()
    _enqueue(pool, local_user)
    running = _claim(pool)
    _enqueue(pool, local_user, "new_rating")  # a rating arrives while the refresh runs
    _enqueue(pool, other)
    assert _claim(pool).user_id == other
    assert _claim(pool) is None
    with pool.connection() as conn:
        conn.execute("listen recommendation_refresh")
        conn.commit()
        assert refresh_queue.complete(conn, running, WORKER)
        woken = [n.payload for n in conn.notifies(timeout=2, stop_after=1)]
    assert woken == [local_user]  # the waiting job is announced at once
    assert _claim(pool).user_id == local_user


def test_failure_retries_with_exponential_backoff(pool, local_user):
    _enqueue(pool, local_user)
    job = _claim(pool)
    with pool.connection() as conn:
        assert refresh_queue.fail(conn, job, WORKER, "TMDB timed out", backoff_base=10) == "retry"
    row = _rows(pool)[0]
    assert row["status"] == "pending" and row["last_error"] == "TMDB timed out" and row["locked_by"] is None
    assert 8 < row["due_in"] <= 10
    assert _claim(pool) is None  # backing off
    assert refresh_queue.backoff_seconds(1, base=10) == 10
    assert refresh_queue.backoff_seconds(3, base=10) == 40
    assert refresh_queue.backoff_seconds(30, base=10, cap=600) == 600


def test_job_fails_for_good_after_max_attempts_and_stays_visible(pool, local_user):
    _enqueue(pool, local_user)
    with transaction(pool) as conn:
        conn.execute("update recommendation_refresh_queue set max_attempts = 2")
    for expected in ("retry", "failed"):
        with transaction(pool) as conn:
            conn.execute("update recommendation_refresh_queue set run_after = now()")
        job = _claim(pool)
        with pool.connection() as conn:
            assert refresh_queue.fail(conn, job, WORKER, f"boom {job.attempts}", backoff_base=0) == expected
    assert _claim(pool) is None
    with pool.connection() as conn:
        stats = refresh_queue.queue_stats(conn)
        failed = refresh_queue.list_failed(conn)
    assert stats.failed == 1 and stats.pending == 0
    assert failed[0]["last_error"] == "boom 2" and failed[0]["attempts"] == 2
    # a new request for the same user is still accepted: only pending rows are unique
    assert _enqueue(pool, local_user) is True


def test_failure_merges_into_a_newer_pending_job_of_the_same_user(pool, local_user):
    _enqueue(pool, local_user)
    job = _claim(pool)
    _enqueue(pool, local_user, "new_rating")
    with pool.connection() as conn:
        assert refresh_queue.fail(conn, job, WORKER, "LLM down", backoff_base=5) == "merged"
    (row,) = _rows(pool)
    assert row["status"] == "pending" and row["attempts"] == 1 and row["last_error"] == "LLM down"
    assert row["due_in"] > 3


def test_failure_after_losing_the_lease_changes_nothing(pool, local_user):
    _enqueue(pool, local_user)
    job = _claim(pool, worker="slow")
    _expire_leases(pool)
    taken = _claim(pool, worker="fast")
    with pool.connection() as conn:
        assert refresh_queue.fail(conn, job, "slow", "late") == "lost"
        assert refresh_queue.extend_lease(conn, job, "slow") is False
        assert refresh_queue.extend_lease(conn, taken, "fast", lease_seconds=100) is True
    assert _rows(pool)[0]["locked_by"] == "fast"


def test_a_job_whose_workers_keep_dying_ends_failed(pool, local_user):
    _enqueue(pool, local_user)
    with transaction(pool) as conn:
        conn.execute("update recommendation_refresh_queue set max_attempts = 1")
    _claim(pool)
    _expire_leases(pool)
    assert _claim(pool) is None
    row = _rows(pool)[0]
    assert row["status"] == "failed" and "lease expired" in row["last_error"]


def test_queue_stats_and_next_due(pool, local_user, make_user):
    with pool.connection() as conn:
        assert refresh_queue.seconds_until_next_job(conn) is None
    users = [local_user, make_user(), make_user()]
    for user in users:
        _enqueue(pool, user)
    _claim(pool)
    with pool.connection() as conn:
        stats = refresh_queue.queue_stats(conn)
        assert refresh_queue.seconds_until_next_job(conn) == 0
    assert (stats.pending, stats.due, stats.running, stats.stale, stats.failed) == (2, 2, 1, 0, 0)
    assert stats.oldest_pending_seconds >= 0


def test_retry_failed_requeues_one_job_per_user(pool, local_user):
    _enqueue(pool, local_user)
    with transaction(pool) as conn:
        conn.execute("update recommendation_refresh_queue set status = 'failed', attempts = 5")
    with transaction(pool) as conn:
        assert refresh_queue.retry_failed(conn) == 1
    assert [(r["status"], r["attempts"]) for r in _rows(pool)] == [("pending", 0)]


def test_concurrent_claimers_take_each_job_exactly_once(pool, db_url, make_user):
    users = [make_user() for _ in range(40)]
    for user in users:
        _enqueue(pool, user)
    seen: list[int] = []
    lock = threading.Lock()

    def drain(worker: str) -> None:
        with psycopg.connect(db_url) as conn:
            while (job := refresh_queue.claim_next(conn, worker)) is not None:
                with lock:
                    seen.append(job.id)
                assert refresh_queue.complete(conn, job, worker)

    with ThreadPoolExecutor(4) as pool_:
        list(pool_.map(drain, [f"w{i}" for i in range(4)]))
    assert len(seen) == 40 and len(set(seen)) == 40
    assert _rows(pool) == []


@pytest.mark.parametrize("name", ["claim_job", "fail_exhausted_leases", "queue_stats"])
def test_named_queries_load(name):
    assert load_sql(refresh_queue.__name__, name).strip()
