"""The worker loop in-process (fake handlers): scout split, scheduling, waking, heartbeats."""

from __future__ import annotations

import threading
import time
from collections import Counter
from types import SimpleNamespace

import pytest

from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from cine_core.jobs.heartbeat import Heartbeat
from tests.cine_core.test_scout import popular_ids, rate
from worker.loop import Worker, WorkerOptions
from worker.wakeup import Wakeup


class Recorder:
    def __init__(self, fail_for: set[str] = frozenset()) -> None:
        self.jobs: list[int] = []
        self.users: Counter[str] = Counter()
        self.fail_for = fail_for
        self._lock = threading.Lock()

    def job(self, job) -> None:
        with self._lock:
            self.jobs.append(job.id)
        if job.user_id in self.fail_for:
            raise ValueError("boom")

    def scout(self, user_id: str) -> None:
        with self._lock:
            self.users[user_id] += 1
        if user_id in self.fail_for:
            raise ValueError("scout boom")


def make_worker(pool, db_url, recorder, **options) -> Worker:
    return Worker(pool, db_url, refresh_job=recorder.job, scout_user=recorder.scout,
                  options=WorkerOptions(**options))


def test_two_workers_split_a_scout_pass_and_each_user_is_scouted_once(pool, db_url, make_user):
    users = [make_user() for _ in range(12)]
    for user in users:
        rate(pool, user, popular_ids(pool, 1))
    recorder = Recorder()
    first, second = (make_worker(pool, db_url, recorder, concurrency=2) for _ in range(2))
    threads = [threading.Thread(target=w.scout_pass) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert recorder.users == Counter({user: 1 for user in users})
    # scouted users are not due again until the interval passes; --all takes everyone once more
    assert first.scout_pass() == 0
    assert first.scout_pass(all_users=True) == len(users)


def test_failing_scout_or_job_is_counted_and_the_pass_goes_on(pool, db_url, make_user):
    bad, good = make_user(), make_user()
    for user in (bad, good):
        rate(pool, user, popular_ids(pool, 1))
    recorder = Recorder(fail_for={bad})
    report = make_worker(pool, db_url, recorder, backoff_seconds=60).run_once()
    assert (report.jobs_done, report.jobs_failed, report.users_scouted, report.scouts_failed) == (1, 1, 1, 1)
    with pool.connection() as conn:
        stats = refresh_queue.queue_stats(conn)
    assert stats.pending == 1 and stats.running == 0


def test_run_forever_wakes_on_notify_and_stops_on_request(pool, db_url, local_user):
    recorder = Recorder()
    worker = make_worker(pool, db_url, recorder, poll_seconds=30, scout_enabled=False)
    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not list_workers_now(pool) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        with transaction(pool) as conn:
            refresh_queue.request_refresh(conn, local_user, "manual")
        while not recorder.jobs and time.monotonic() - started < 10:
            time.sleep(0.02)
        assert recorder.jobs and time.monotonic() - started < 5
    finally:
        worker.stop.set()
        thread.join(10)
    assert not thread.is_alive()


def list_workers(conn, *, alive_seconds: float = 120.0) -> list[SimpleNamespace]:
    """The heartbeat rows, most recently seen first (the Status page reads their counts via app_status)."""
    rows = conn.execute("select worker_id, jobs_done, jobs_failed, last_scout_at,"
                        " last_seen >= now() - make_interval(secs => %s) as alive"
                        " from public.worker_heartbeat order by last_seen desc", (float(alive_seconds),)).fetchall()
    return [SimpleNamespace(**row) for row in rows]


def list_workers_now(pool):
    with pool.connection() as conn:
        return list_workers(conn)


def test_wakeup_returns_on_notify_timeout_and_stop(db_url, pool, local_user):
    stop = threading.Event()
    wakeup = Wakeup(db_url)
    try:
        assert wakeup.listening
        assert wakeup.wait(0.1, stop) == "timeout"
        with transaction(pool) as conn:
            refresh_queue.notify(conn, local_user)
            refresh_queue.notify(conn, local_user)
        assert wakeup.wait(5, stop) == "notify"
        assert wakeup.wait(0.1, stop) == "timeout"  # the burst was consumed by one wake-up
        threading.Timer(0.2, stop.set).start()
        begun = time.monotonic()
        assert wakeup.wait(30, stop) == "stop" and time.monotonic() - begun < 2
    finally:
        wakeup.close()


def test_poll_only_wakeup_still_times_out():
    stop = threading.Event()
    wakeup = Wakeup("postgresql://unused", listen=False)
    assert not wakeup.listening and wakeup.wait(0.05, stop) == "timeout"


def test_heartbeat_row_tracks_jobs_and_scouts(pool):
    beat = Heartbeat(pool, "test-worker")
    beat.start()
    beat.job_finished(ok=True)
    beat.job_finished(ok=False)
    beat.scouted()
    with pool.connection() as conn:
        (row,) = list_workers(conn)
    assert (row.worker_id, row.jobs_done, row.jobs_failed, row.alive) == ("test-worker", 1, 1, True)
    assert row.last_scout_at is not None
    with pool.connection() as conn:
        assert not list_workers(conn, alive_seconds=0)[0].alive


def test_starting_worker_forgets_workers_gone_for_a_week_but_keeps_recently_dead_ones(pool):
    with transaction(pool) as conn:
        for worker_id, age in (("gone-8-days", "8 days"), ("dead-1-hour", "1 hour")):
            conn.execute("insert into worker_heartbeat (worker_id, started_at, last_seen)"
                         " values (%s, now() - %s::interval, now() - %s::interval)", (worker_id, age, age))
    Heartbeat(pool, "fresh-worker").start()
    with pool.connection() as conn:
        workers = {w.worker_id: w.alive for w in list_workers(conn)}
    assert workers == {"fresh-worker": True, "dead-1-hour": False}


@pytest.mark.parametrize("due_in, expected", [(None, 2.0), (0.0, 0.05), (0.5, 0.5)])
def test_next_wait_is_the_earliest_of_poll_schedule_and_next_job(pool, db_url, local_user, due_in, expected):
    import schedule

    worker = make_worker(pool, db_url, Recorder(), poll_seconds=2.0)
    if due_in is not None:
        with transaction(pool) as conn:
            refresh_queue.request_refresh(conn, local_user, "manual")
            conn.execute("update recommendation_refresh_queue set run_after = now() + make_interval(secs => %s)",
                         (due_in,))
    assert worker._next_wait(schedule.Scheduler()) == pytest.approx(expected, abs=0.2)


class BatchesRecorder:
    """Stands in for VerdictBatches: records when the worker polls and submits, relative to the scouts."""

    def __init__(self, recorder: Recorder, fail: bool = False) -> None:
        self.events: list[str] = []
        self.recorder, self.fail = recorder, fail

    def poll(self) -> int:
        self.events.append(f"poll after {sum(self.recorder.users.values())} scout(s)")
        if self.fail:
            raise RuntimeError("the batch API is down")
        return 0

    def submit_pending(self) -> list[str]:
        self.events.append(f"submit after {sum(self.recorder.users.values())} scout(s)")
        return ["msgbatch_1"]


@pytest.mark.parametrize("fail", [False, True])
def test_a_pass_applies_ended_batches_first_and_submits_its_own_batch_at_the_end(pool, db_url, make_user, fail):
    users = [make_user() for _ in range(3)]
    for user in users:
        rate(pool, user, popular_ids(pool, 1))
    recorder = Recorder()
    batches = BatchesRecorder(recorder, fail=fail)
    worker = Worker(pool, db_url, refresh_job=recorder.job, scout_user=recorder.scout, batches=batches,
                    options=WorkerOptions())
    report = worker.run_once()
    assert batches.events == ["poll after 0 scout(s)", "submit after 3 scout(s)"]
    assert report.users_scouted == 3  # a failing poll never stops the pass


def test_without_a_key_the_worker_has_no_batches(pool, db_url):
    assert make_worker(pool, db_url, Recorder()).batches is None
