"""`python -m cine_core run` (what `make run` calls): it says "running" only when the app answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from cine_core.config import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_", "SUPABASE_", "DATABASE_"))}
    env["CINE_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_a_busy_port_is_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "cine_core", "run", "--port", str(port)], cwd=PROJECT_ROOT,
                                env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"error: Port {port} is already in use: choose another with `make run PORT=8600`" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_running_is_announced_only_once_the_app_answers(tmp_path):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cine_core", "run", "--port", str(port)], cwd=PROJECT_ROOT,
                            env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and "CineAI is running" not in line:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "the launcher exited before announcing the app"
        assert f"CineAI is running: http://localhost:{port}" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            assert response.status == 200  # answered at once: no window between the message and the server
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()
