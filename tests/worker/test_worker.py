"""`python -m worker` as a real subprocess against a real Postgres (DATABASE_URL = the test database)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from cine_core.config import PROJECT_ROOT
from cine_core.db import transaction
from cine_core.jobs import refresh_queue
from tests.cine_core.test_scout import VALID_SOURCES, popular_ids, rate, stored_picks
from tests.worker.hooks import LOG_TABLE_SQL


def worker_env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "TMDB_", "CINE_WORKER_"))}
    env.update({"DATABASE_URL": db_url, "LOG_LEVEL": "INFO", "PYTHONPATH": str(PROJECT_ROOT)})
    env.update(extra)
    return env


def worker_command(*args: str) -> list[str]:
    """`python -m worker`, or with test handlers (--job / --scout) the same main() through tests/worker/hooked.py."""
    hooked = any(arg in ("--job", "--scout") for arg in args)
    return [sys.executable, "-m", "tests.worker.hooked" if hooked else "worker", *args]


def run_worker(db_url: str, *args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(worker_command(*args), cwd=PROJECT_ROOT, env=worker_env(db_url, **env),
                          capture_output=True, text=True, timeout=timeout)


class WorkerProcess:
    """A long-running worker; stderr goes to a file (a pipe could fill up and block it)."""

    def __init__(self, db_url: str, *args: str, **env: str) -> None:
        self.log = Path(tempfile.mkstemp(prefix="worker-", suffix=".log")[1])
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(worker_command(*args), cwd=PROJECT_ROOT,
                                         env=worker_env(db_url, **env), stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)


@pytest.fixture
def workers():
    started: list[WorkerProcess] = []

    def start(db_url: str, *args: str, **env: str) -> WorkerProcess:
        process = WorkerProcess(db_url, *args, **env)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait(timeout=10)
        process.log.unlink(missing_ok=True)


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def scalar(pool, sql: str, params=()):
    with pool.connection() as conn:
        row = conn.execute(sql, params).fetchone()
    return next(iter(row.values()))


@pytest.fixture
def job_log(pool):
    with transaction(pool) as conn:
        conn.execute(LOG_TABLE_SQL)
    return pool


def assert_valid_picks(pool, user_id: str, rated: list[int]) -> list[dict]:
    picks = stored_picks(pool, user_id)
    assert picks, "no picks"
    assert not {p["movie_id"] for p in picks} & set(rated)
    for pick in picks:
        assert 0 <= pick["confidence"] <= 1 and pick["reason"].strip()
        assert pick["discovery_source"] in VALID_SOURCES
    return picks


def test_rating_then_worker_once_gives_picks(pool, db_url, local_user):
    rated = popular_ids(pool, 5)
    rate(pool, local_user, rated)
    done = run_worker(db_url, "--once")
    assert done.returncode == 0, done.stderr
    assert "1 job(s) done" in done.stdout
    assert_valid_picks(pool, local_user, rated)
    assert scalar(pool, "select count(*) from recommendation_refresh_queue") == 0
    assert scalar(pool, "select sum(jobs_done) from worker_heartbeat") == 1


def test_once_all_scouts_every_active_user(pool, db_url, local_user, make_user):
    other = make_user()
    rate(pool, local_user, popular_ids(pool, 4))
    rate(pool, other, popular_ids(pool, 4, genre="Comedy"))
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    done = run_worker(db_url, "--once", "--all")
    assert done.returncode == 0, done.stderr
    assert "2 user(s) scouted" in done.stdout
    assert stored_picks(pool, local_user) and stored_picks(pool, other)
    assert scalar(pool, "select count(last_scout_at) from worker_heartbeat") == 1


def test_without_a_database_the_worker_exits_non_zero_with_one_clear_line(tmp_path):
    done = run_worker("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2", "--once", timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "database" in lines[0].lower(), done.stderr


def test_failing_job_is_logged_recorded_and_does_not_stop_the_pass(job_log, db_url, local_user, make_user):
    pool = job_log
    other = make_user()
    for user in (local_user, other):
        rate(pool, user, popular_ids(pool, 3))
    done = run_worker(db_url, "--once", "--no-scout", "--job", "tests.worker.hooks:fail_listed_users",
                      CINE_TEST_FAIL_USERS=local_user)
    assert done.returncode == 0
    assert "Traceback" in done.stderr and "hook exploded" in done.stderr
    assert "1 job(s) done, 1 failed" in done.stdout, done.stderr[-4000:]
    with pool.connection() as conn:
        row = conn.execute("select status, attempts, last_error from recommendation_refresh_queue").fetchone()
    assert row["status"] == "pending" and row["attempts"] == 1 and "hook exploded" in row["last_error"]
    assert stored_picks(pool, other)


def test_listen_notify_wakes_a_running_worker_before_its_poll(pool, db_url, local_user, workers):
    worker = workers(db_url, "--poll-seconds", "30")
    wait_for(lambda: scalar(pool, "select count(*) from worker_heartbeat"), timeout=60, what="worker start")
    time.sleep(0.5)  # the start-up scout finds nobody to scout; let it settle
    rated = popular_ids(pool, 5)
    started = time.monotonic()
    rate(pool, local_user, rated)
    wait_for(lambda: stored_picks(pool, local_user), timeout=15, interval=0.05, what="picks")
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"picks took {elapsed:.1f}s: the worker waited for its poll"
    assert_valid_picks(pool, local_user, rated)
    assert worker.stop() == 0, worker.output()
    assert "stopping" in worker.output()


def test_sigterm_lets_the_running_job_finish(job_log, db_url, local_user, workers):
    pool = job_log
    worker = workers(db_url, "--poll-seconds", "0.2", "--no-scout", "--job", "tests.worker.hooks:slow",
                     CINE_TEST_JOB_SECONDS="2")
    rate(pool, local_user, popular_ids(pool, 4))
    wait_for(lambda: scalar(pool, "select count(*) from test_job_log where phase = 'started'"), timeout=60,
             what="job start")
    assert worker.stop(signal.SIGTERM) == 0
    assert scalar(pool, "select count(*) from test_job_log where phase = 'finished'") == 1
    assert scalar(pool, "select count(*) from recommendation_refresh_queue") == 0
    assert "Received SIGTERM" in worker.output()


def test_job_of_a_sigkilled_worker_is_redone_after_its_lease_without_duplicates(job_log, db_url, local_user, workers):
    pool = job_log
    rated = popular_ids(pool, 5)
    rate(pool, local_user, rated)
    doomed = workers(db_url, "--no-scout", "--lease-seconds", "2", "--job", "tests.worker.hooks:slow",
                     CINE_TEST_JOB_SECONDS="30")
    wait_for(lambda: scalar(pool, "select count(*) from test_job_log where phase = 'started'"), timeout=60,
             what="job start")
    doomed.stop(signal.SIGKILL)
    assert scalar(pool, "select status from recommendation_refresh_queue") == "running"
    wait_for(lambda: scalar(pool, "select locked_until < now() from recommendation_refresh_queue"), timeout=10,
             what="lease expiry")
    rescue = run_worker(db_url, "--once", "--no-scout")
    assert rescue.returncode == 0, rescue.stderr
    assert "1 job(s) done" in rescue.stdout
    assert scalar(pool, "select count(*) from recommendation_refresh_queue") == 0
    picks = assert_valid_picks(pool, local_user, rated)
    assert len(picks) == len({p["movie_id"] for p in picks})
    assert scalar(pool, "select count(*) from test_job_log where phase = 'finished'") == 0  # the killed run never did


def test_four_workers_drain_200_jobs_each_exactly_once(job_log, db_url, make_user, workers):
    pool = job_log
    users = [make_user() for _ in range(200)]
    with transaction(pool) as conn:
        for user in users:
            refresh_queue.request_refresh(conn, user, "manual")
    procs = [workers(db_url, "--no-scout", "--poll-seconds", "0.5", "--concurrency", "2",
                     "--job", "tests.worker.hooks:record", CINE_TEST_JOB_SECONDS="0.02") for _ in range(4)]
    wait_for(lambda: scalar(pool, "select count(*) from test_job_log") >= 200, timeout=120, what="200 jobs")
    wait_for(lambda: scalar(pool, "select count(*) from recommendation_refresh_queue") == 0, timeout=30,
             what="empty queue")
    for proc in procs:
        assert proc.stop() == 0, proc.output()
    with pool.connection() as conn:
        log = conn.execute("select job_id, pid from test_job_log").fetchall()
        jobs_done = conn.execute("select sum(jobs_done) as n, count(*) as workers from worker_heartbeat").fetchone()
    assert len(log) == 200 and len({r["job_id"] for r in log}) == 200
    assert len({r["pid"] for r in log}) > 1, "one worker did everything: no concurrency was exercised"
    assert jobs_done["n"] == 200 and jobs_done["workers"] == 4


def test_a_database_without_the_schema_is_one_clear_line(pg_server_url):
    import psycopg
    from psycopg import sql

    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute("drop database if exists cine_worker_empty")
        conn.execute(sql.SQL("create database cine_worker_empty"))
    info = psycopg.conninfo.conninfo_to_dict(pg_server_url)
    info["dbname"] = "cine_worker_empty"
    done = run_worker(psycopg.conninfo.make_conninfo(**info), "--once", timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cine_core setup" in lines[0], done.stderr
