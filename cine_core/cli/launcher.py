"""`python -m cine_core run`: one command that starts the database, the worker and the app."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from cine_core.cli.commands import run_setup
from cine_core.config import PROJECT_ROOT, Settings
from cine_core.db import database_url

log = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the launcher dies abruptly, so no orphaned worker/app remain."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_all(settings: Settings, *, port: int = 8501) -> int:
    """Hold the embedded DB open, run setup, then supervise `python -m worker` and `streamlit run`."""
    url = database_url(settings)  # starts the embedded server when DATABASE_URL is unset
    print(run_setup(settings), flush=True)
    env = {**os.environ, "DATABASE_URL": url}
    worker = subprocess.Popen([sys.executable, "-m", "worker"], cwd=PROJECT_ROOT, env=env,
                              preexec_fn=_die_with_parent)
    app = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        preexec_fn=_die_with_parent,
    )
    print(f"\nCineAI is running: http://localhost:{port}  (Ctrl-C to stop)\n", flush=True)
    children = [worker, app]
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
