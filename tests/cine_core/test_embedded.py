"""The embedded Postgres is shared safely by several processes (app + worker)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from cine_core.config import PROJECT_ROOT

# Each child joins the embedded server, runs a query on command, and exits on "quit".
CHILD = textwrap.dedent(
    """
    import sys, psycopg
    from cine_core.db import embedded_database_url
    url = embedded_database_url(sys.argv[1])
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        with psycopg.connect(url) as conn:
            print("ok", conn.execute("select 41 + 1").fetchone()[0], flush=True)
    """
)


def _spawn(data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    _spawned.append(proc)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def _ask(proc: subprocess.Popen) -> str:
    proc.stdin.write("query\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def _postmaster_pid(data_dir: Path) -> int | None:
    pidfile = data_dir / "pgdata" / "postmaster.pid"
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_dead(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


_spawned: list[subprocess.Popen] = []


@pytest.fixture
def data_dir():
    path = Path(tempfile.mkdtemp(prefix="cine-emb-"))
    yield path
    while _spawned:
        proc = _spawned.pop()
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            stream.close()
    pid = _postmaster_pid(path)
    if pid and _alive(pid):
        os.kill(pid, signal.SIGTERM)
        _wait_dead(pid)


@pytest.mark.slow
def test_two_processes_share_the_embedded_database_and_one_exiting_keeps_the_other_working(data_dir):
    first, second = _spawn(data_dir), _spawn(data_dir)
    assert _ask(first) == "ok 42" and _ask(second) == "ok 42"
    server_pid = _postmaster_pid(data_dir)

    first.stdin.write("quit\n")
    first.stdin.flush()
    assert first.wait(timeout=30) == 0
    assert _ask(second) == "ok 42"
    assert _alive(server_pid)

    second.stdin.write("quit\n")
    second.stdin.flush()
    assert second.wait(timeout=30) == 0
    assert _wait_dead(server_pid), "the last process out should stop the embedded server"


@pytest.mark.slow
def test_a_process_killed_with_sigkill_does_not_keep_the_server_alive_forever(data_dir):
    victim = _spawn(data_dir)
    victim.kill()
    victim.wait(timeout=10)
    survivor = _spawn(data_dir)
    assert _ask(survivor) == "ok 42"
    pids = json.loads((data_dir / "pgdata" / ".handle_pids.json").read_text())
    assert victim.pid not in pids
    server_pid = _postmaster_pid(data_dir)
    survivor.stdin.write("quit\n")
    survivor.stdin.flush()
    assert survivor.wait(timeout=30) == 0
    assert _wait_dead(server_pid)
