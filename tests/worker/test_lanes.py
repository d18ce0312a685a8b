"""Imports and refreshes never wait on each other (#24.2); a stopping worker hands its jobs back and dead
workers' jobs are released on a timer (#24.6); no false 'lease lost' warning (#24.8)."""

from __future__ import annotations

import logging
import threading
import time

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from cine_core.jobs.heartbeat import Heartbeat
from worker import pulse as pulse_module
from worker.loop import Worker, WorkerOptions
from worker.pulse import Pulse


def _request(pool, user: str, trigger: str = "new_rating") -> None:
    with transaction(pool) as conn:
        refresh_queue.request_refresh(conn, user, trigger)


def _queue(pool) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select user_id::text as user_id, status, attempts, locked_by"
                            " from recommendation_refresh_queue order by id").fetchall()


def test_a_long_import_does_not_hold_up_anyone_s_refresh(pool, db_url, local_user):
    import_may_end = threading.Event()
    import_started = threading.Event()

    def slow_import(worker_id: str, stop: threading.Event) -> int:
        import_started.set()
        import_may_end.wait(30)
        return 0

    refreshed: list[str] = []
    worker = Worker(pool, db_url, refresh_job=lambda job: refreshed.append(job.user_id), scout_user=lambda _: None,
                    run_imports=slow_import, options=WorkerOptions(concurrency=2), batches=None)
    _request(pool, local_user)
    started = time.monotonic()
    try:
        assert worker.drain() == 1
        took = time.monotonic() - started
        assert import_started.is_set() and not import_may_end.is_set()  # the import is still running
    finally:
        import_may_end.set()
    assert refreshed == [local_user] and took < 5
    assert worker.wait_for_imports()


def test_a_stopping_worker_hands_back_the_job_it_cannot_finish(pool, db_url, local_user):
    release = threading.Event()
    stop = threading.Event()

    def stuck(job) -> None:
        stop.set()  # SIGTERM arrives while the job runs
        release.wait(30)

    worker = Worker(pool, db_url, refresh_job=stuck, scout_user=lambda _: None, stop=stop, batches=None,
                    options=WorkerOptions(stop_grace_seconds=0.5))
    _request(pool, local_user, "manual")
    started = time.monotonic()
    try:
        worker.drain()
        took = time.monotonic() - started
    finally:
        release.set()
    assert took < 3
    assert worker.report.jobs_handed_back == 1
    [row] = _queue(pool)
    assert row["status"] == "pending" and row["attempts"] == 0 and row["locked_by"] is None


def test_a_dead_worker_s_job_is_released_by_the_pulse_without_any_claim(pool, local_user):
    _request(pool, local_user)
    with transaction(pool) as conn:
        conn.execute("insert into worker_heartbeat (worker_id, started_at, last_seen)"
                     " values ('dead', now() - interval '1 hour', now() - interval '1 minute')")
        assert refresh_queue.claim_next(conn, "dead", dead_after_seconds=3600) is not None
    assert _queue(pool)[0]["status"] == "running"
    pulse = Pulse(pool, Heartbeat(pool, "alive"), beat_seconds=0.1, lease_seconds=60, dead_after_seconds=2)
    pulse.start()
    try:
        deadline = time.monotonic() + 10
        while _queue(pool)[0]["status"] != "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        pulse.stop()
    assert _queue(pool)[0]["status"] == "pending"


def test_a_job_that_ends_during_an_extension_is_not_reported_as_lost(pool, local_user, monkeypatch):
    _request(pool, local_user)
    with transaction(pool) as conn:
        job = refresh_queue.claim_next(conn, "w1")
    pulse = Pulse(pool, Heartbeat(pool, "w1"), beat_seconds=60, lease_seconds=60)
    with pulse.holding(job):
        pass  # the job ends: the worker settles it while the pulse's extension is under way
    with transaction(pool) as conn:
        refresh_queue.complete(conn, job, "w1")
    # A logger of the test's own, in place of the module's: whatever earlier tests in the suite did to logging
    # (dictConfig disabling existing loggers, pulses left running that log their own jobs), only this counts.
    records: list[logging.LogRecord] = []
    own = logging.Logger("test-pulse", logging.WARNING)
    own.addHandler(type("Keep", (logging.Handler,), {"emit": lambda self, record: records.append(record)})())
    monkeypatch.setattr(pulse_module, "log", own)
    was_off = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    try:
        pulse._extend(job, time.monotonic())
        assert not [r for r in records if "lease lost" in r.getMessage()]
        with pulse.holding(job):
            pulse._extend(job, time.monotonic())  # still held, row gone: that one is a real loss
        assert [r for r in records if "lease lost" in r.getMessage()]
    finally:
        logging.disable(was_off)
