"""A worker that survives: the side-thread pulse during long jobs, and the jobs of dead workers released
at once without counting as failures (in-process, on a real Postgres)."""

from __future__ import annotations

import time

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from worker.loop import Worker, WorkerOptions

LIVE = "live-worker"


def _enqueue(pool, user_id, trigger="manual"):
    with transaction(pool) as conn:
        return refresh_queue.request_refresh(conn, user_id, trigger)


def _claim(pool, worker=LIVE, **kwargs):
    with transaction(pool) as conn:
        return refresh_queue.claim_next(conn, worker, **kwargs)


def _beat(pool, worker: str, seconds_ago: float) -> None:
    """A heartbeat row as a worker last wrote it `seconds_ago`."""
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, hostname, pid, started_at, last_seen)"
                     " values (%(w)s, 'h', 1, now(), now() - make_interval(secs => %(s)s))"
                     " on conflict (worker_id) do update set last_seen = excluded.last_seen",
                     {"w": worker, "s": seconds_ago})


def _row(pool):
    with pool.connection() as conn:
        return conn.execute("select status, attempts, interruptions, locked_by, last_error,"
                            " extract(epoch from run_after - now())::float8 as due_in"
                            " from recommendation_refresh_queue").fetchone()


def test_job_of_a_worker_whose_heartbeat_stopped_is_retaken_at_once_and_is_no_failure(pool, local_user):
    _enqueue(pool, local_user)
    _beat(pool, "dead", 0)
    lost = _claim(pool, worker="dead", lease_seconds=300)
    _beat(pool, LIVE, 0)
    assert _claim(pool, dead_after_seconds=15) is None  # its heartbeat is fresh: still alive
    _beat(pool, "dead", 16)
    again = _claim(pool, dead_after_seconds=15)  # its 300 s lease is still live: the heartbeat decides
    assert again.id == lost.id and (again.attempts, again.interruptions, again.failures) == (2, 1, 0)
    assert "died while running this job" in _row(pool)["last_error"]
    with pool.connection() as conn:
        assert refresh_queue.complete(conn, lost, "dead") is False
        assert refresh_queue.fail(conn, again, LIVE, "TMDB down", backoff_base=10) == "retry"
    row = _row(pool)
    assert row["status"] == "pending" and 8 < row["due_in"] <= 10  # first failure: the first backoff step


def test_a_worker_without_a_heartbeat_row_is_left_to_its_lease(pool, local_user):
    _enqueue(pool, local_user)
    _claim(pool, worker="no-heartbeat", lease_seconds=300)
    assert _claim(pool, dead_after_seconds=0.001) is None


def test_an_orphan_folds_into_a_newer_pending_job_of_the_same_user(pool, local_user):
    _enqueue(pool, local_user)
    _beat(pool, "dead", 0)
    _claim(pool, worker="dead")
    _enqueue(pool, local_user, "new_rating")  # a rating arrived while the dead worker ran the job
    _beat(pool, "dead", 60)
    job = _claim(pool)
    assert job.trigger_type == "new_rating" and job.interruptions == 1 and job.failures == 0
    with pool.connection() as conn:
        assert conn.execute("select count(*) as n from recommendation_refresh_queue").fetchone()["n"] == 1


def test_a_poison_job_is_given_up_after_max_interruptions_and_says_so(pool, local_user):
    _enqueue(pool, local_user)
    for restart in range(3):  # each restarted worker has a new id
        _beat(pool, f"crashing-{restart}", 0)
        assert _claim(pool, worker=f"crashing-{restart}", max_interruptions=3) is not None
        _beat(pool, f"crashing-{restart}", 60)  # the job took its worker down again
    assert _claim(pool, max_interruptions=3) is None
    row = _row(pool)
    assert row["status"] == "failed" and row["interruptions"] == 3 and row["attempts"] == 3
    assert "gave up" in row["last_error"] and "crash its worker" in row["last_error"]
    with pool.connection() as conn:
        failed = refresh_queue.list_failed(conn)
    assert failed and "crash its worker" in failed[0]["last_error"]


def test_the_pulse_moves_heartbeat_and_lease_during_a_long_job_and_stops_after(pool, db_url, local_user):
    _enqueue(pool, local_user)
    seen: dict[str, object] = {}

    def long_job(job) -> None:
        with pool.connection() as conn:
            first = conn.execute("select h.last_seen, q.locked_until from worker_heartbeat h,"
                                 " recommendation_refresh_queue q").fetchone()
        time.sleep(2.5)  # 2.5 leases of 1 s
        with pool.connection() as conn:
            seen["later"] = conn.execute("select h.last_seen, q.locked_until, q.locked_until > now() as live"
                                         " from worker_heartbeat h, recommendation_refresh_queue q").fetchone()
        seen["first"] = first
        seen["other"] = _claim(pool, worker="other", lease_seconds=1)  # must not steal the live job

    worker = Worker(pool, db_url, refresh_job=long_job, scout_user=lambda _: None,
                    options=WorkerOptions(lease_seconds=1.0, beat_seconds=0.2, scout_enabled=False))
    report = worker.run_once()
    assert report.jobs_done == 1 and report.jobs_failed == 0
    first, later = seen["first"], seen["later"]
    assert later["live"] and seen["other"] is None
    assert (later["last_seen"] - first["last_seen"]).total_seconds() > 1.5
    assert (later["locked_until"] - first["locked_until"]).total_seconds() > 1.5
    assert worker.pulse._held == {} and not worker.pulse._thread.is_alive()
    with pool.connection() as conn:
        assert refresh_queue.queue_stats(conn).running == 0


def test_the_pulse_stops_extending_a_job_once_it_ends(pool, db_url, local_user):
    _enqueue(pool, local_user)
    job = _claim(pool, lease_seconds=1)
    worker = Worker(pool, db_url, refresh_job=lambda _: None, scout_user=lambda _: None,
                    options=WorkerOptions(lease_seconds=1.0, beat_seconds=0.1, scout_enabled=False))
    worker.heartbeat.start()
    with transaction(pool) as conn:  # the job is this worker's
        conn.execute("update recommendation_refresh_queue set locked_by = %s", (worker.worker_id,))
    with worker.pulse.holding(job):
        time.sleep(1.5)
        assert _row(pool)["status"] == "running" and _claim(pool, worker="other") is None
    time.sleep(1.5)  # no longer held: the lease runs out
    worker.pulse.stop()
    assert _claim(pool, worker="other").id == job.id


def test_a_waiting_worker_wakes_when_a_silent_worker_turns_dead_not_when_its_lease_ends(pool, local_user):
    _enqueue(pool, local_user)
    _beat(pool, "dying", 0)
    _claim(pool, worker="dying", lease_seconds=300)
    _beat(pool, "dying", 10)
    with pool.connection() as conn:
        due_in = refresh_queue.seconds_until_next_job(conn, dead_after_seconds=15)
    assert 4 < due_in <= 5
