"""Browser suite fixtures: one database, one worker and one `streamlit run app.py` for the whole session,
one headless Chromium (Debian's, via Playwright's `executable_path`; never a downloaded browser), and a fresh
page per journey at each of the three viewports.

The server is shared on purpose (a start costs seconds on 2 cores), so the journeys share one person: each
journey is written to pass whatever the others did before it (counts are read before and compared after).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from cine_core.config import PROJECT_ROOT
from tests.conftest import TEMPLATE_DB, _with_db
from tests.e2e.steps import ARTIFACTS, STEP_MS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"1280x800": (1280, 800), "1440x900": (1440, 900), "390x844": (390, 844)}
STARTUP_SECONDS = 60.0
SUITE_DB = f"cine_e2e_{os.getpid()}"  # two runs may share one TEST_DATABASE_URL server
WARM_UP_MS = 120_000


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if os.environ.get("CINE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def suite_db_url(pg_server_url, template_url) -> Iterator[str]:
    """A fresh database (the migrated offline catalog and the local user, nothing rated) for the session."""
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(SUITE_DB)))
        conn.execute(sql.SQL("create database {} template {}").format(sql.Identifier(SUITE_DB),
                                                                       sql.Identifier(TEMPLATE_DB)))
    yield _with_db(pg_server_url, SUITE_DB)
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(SUITE_DB)))


@pytest.fixture(scope="session")
def app_url(suite_db_url) -> Iterator[str]:
    """The worker and the Streamlit server as real subprocesses on a free port; logs in test-artifacts/."""
    _require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": suite_db_url, "PYTHONUNBUFFERED": "1", "CINE_WORKER_POLL_SECONDS": "1"}
    port = _free_port()
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        for name, command in (
            ("worker", [sys.executable, "-m", "worker"]),
            ("streamlit", [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                           "--server.address", "127.0.0.1", "--server.port", str(port),
                           "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]),
        ):
            log_file = (ARTIFACTS / f"{name}.log").open("w")
            logs.append(log_file)
            processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log_file,
                                              stderr=subprocess.STDOUT))
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, processes[1], ARTIFACTS / "streamlit.log")
        yield url
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log_file in logs:
            log_file.close()


@pytest.fixture(scope="session")
def browser(app_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_MS)  # a full rerun on a busy 2-core machine can take more than the 5 s default
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            _warm_up(chromium, app_url)
            yield chromium
        finally:
            chromium.close()


def _warm_up(chromium, app_url: str) -> None:
    """The first run after a start imports and loads everything (tens of seconds on a busy machine): pay it
    once here, with a generous timeout, so each journey's steps keep the ordinary one."""
    warm = chromium.new_page()
    try:
        warm.goto(app_url)
        warm.get_by_role("heading", name="Today's picks").first.wait_for(timeout=WARM_UP_MS)
        warm.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=WARM_UP_MS)
    finally:
        warm.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(browser, viewport):
    """A new browser context (a new Streamlit session) at the viewport; screenshots go to test-artifacts/<viewport>/."""
    width, height = VIEWPORTS[viewport]
    phone = width < 640
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    opened = context.new_page()
    opened.set_default_timeout(STEP_MS)
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def rated_five(suite_db_url, app_url) -> None:
    """At least five ratings, so a journey that needs a taste passes when run alone (the onboarding journey,
    run first in the suite, normally made them through the page already)."""
    from cine_core.app import actions
    from cine_core.config import LOCAL_USER_ID
    from cine_core.db import open_pool, transaction

    pool = open_pool(suite_db_url, max_size=1, name="e2e-seed")
    try:
        with transaction(pool) as conn:
            count = conn.execute("select count(*) as n from ratings where user_id = %s", (LOCAL_USER_ID,)).fetchone()["n"]
            missing = conn.execute(
                "select id from movies where id not in (select movie_id from ratings where user_id = %s)"
                " order by popularity desc limit %s", (LOCAL_USER_ID, max(0, 5 - count))).fetchall()
        for rank, row in enumerate(missing):
            actions.rate(pool, LOCAL_USER_ID, row["id"], 4.5 - rank * 0.5)
    finally:
        pool.close()
