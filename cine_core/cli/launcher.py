"""`python -m cine_core run`: one command that starts the database, the worker and the app."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from cine_core.cli.commands import run_setup
from cine_core.config import PROJECT_ROOT, Settings
from cine_core.db import database_url
from cine_core.domain.errors import ConfigError

log = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _browser_host(host: str) -> str:
    return "localhost" if host in ("127.0.0.1", "0.0.0.0", "") else host


def _wait_until_healthy(url: str, app: subprocess.Popen, *, timeout: float = STARTUP_SECONDS) -> bool:
    """Poll Streamlit's health endpoint until it answers (True) or the app exits / time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and app.poll() is None:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        time.sleep(0.25)
    if app.poll() is None:
        print(f"The app did not answer within {timeout:.0f} s; still waiting (see the log above)", flush=True)
    return False


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the launcher dies abruptly, so no orphaned worker/app remain."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_all(settings: Settings, *, port: int = 8501, host: str = "127.0.0.1") -> int:
    """Hold the embedded DB open, run setup, then supervise `python -m worker` and `streamlit run`.

    "CineAI is running" is printed only once the app answers its health check.
    """
    if not _port_free(host, port):
        raise ConfigError(f"Port {port} is already in use: choose another with `make run PORT=8600` "
                          f"(or `python -m cine_core run --port 8600`)")
    url = database_url(settings)  # starts the embedded server when DATABASE_URL is unset
    print(run_setup(settings), flush=True)
    env = {**os.environ, "DATABASE_URL": url}
    worker = subprocess.Popen([sys.executable, "-m", "worker"], cwd=PROJECT_ROOT, env=env,
                              preexec_fn=_die_with_parent)
    app = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.port", str(port), "--server.address", host,
            "--browser.gatherUsageStats", "false", "--logger.hideWelcomeMessage", "true",  # ours says it when ready
        ],
        cwd=PROJECT_ROOT,
        env=env,
        preexec_fn=_die_with_parent,
    )
    children = [worker, app]
    if _wait_until_healthy(f"http://{_browser_host(host)}:{port}", app):
        print(f"\nCineAI is running: http://{_browser_host(host)}:{port}  (Ctrl-C to stop)\n", flush=True)
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0
