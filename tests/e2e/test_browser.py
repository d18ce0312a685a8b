"""End to end in headless Chromium: the worker and `streamlit run app.py` against a fresh database.

Rate a film on onboarding → the worker (woken by the ratings trigger) stores picks → they show on the
dashboard → a chat message is learned → the Taste page draws its charts. Screenshots go to test-artifacts/.
Uses Debian's chromium via Playwright's `executable_path`; never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cine_core.config import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 60.0
PICKS_SECONDS = 120.0
STEP_MS = 30_000


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
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def running_app(db_url):
    """The worker and the Streamlit server as real subprocesses on a free port; logs in test-artifacts/."""
    _require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1", "CINE_WORKER_POLL_SECONDS": "1"}
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


def _settle(page) -> None:
    """A script run is done when the status widget is gone and no element is a skeleton or stale."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]')", timeout=STEP_MS
    )
    page.wait_for_timeout(300)


def _no_exception(page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()


def _open(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    _settle(page)


def test_rate_get_picks_chat_and_see_taste_in_a_browser(running_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            # First visit ever is a bookmarked deep link: it still gets the app's navigation and checks.
            first = browser.new_page(viewport={"width": 1440, "height": 1200})
            first.set_default_timeout(STEP_MS)
            first.goto(running_app.rstrip("/") + "/status")
            first.get_by_role("heading", name="Status").wait_for()
            _settle(first)
            _no_exception(first)
            assert "Today's picks" in first.locator('[data-testid="stSidebarNav"]').inner_text()
            first.screenshot(path=ARTIFACTS / "0-status-deep-link.png", full_page=True)
            first.close()

            page = browser.new_page(viewport={"width": 1440, "height": 2000})
            page.set_default_timeout(STEP_MS)
            page.goto(running_app)
            page.get_by_role("heading", name="Today's picks").wait_for()
            _settle(page)
            _no_exception(page)
            page.screenshot(path=ARTIFACTS / "1-dashboard-fallback.png", full_page=True)

            _open(page, "Get started")
            page.get_by_text("0 of 5 films rated").wait_for()
            page.get_by_role("button", name="Seen it ★").first.click()
            page.get_by_role("button", name="Save rating").click()
            page.get_by_text("1 of 5 films rated").wait_for()
            _settle(page)
            _no_exception(page)
            page.screenshot(path=ARTIFACTS / "2-onboarding-rated.png", full_page=True)

            _open(page, "Today's picks")
            deadline = time.monotonic() + PICKS_SECONDS
            while not page.get_by_text("Picks updated").count():
                assert time.monotonic() < deadline, "the worker stored no picks in time (see worker.log)"
                page.wait_for_timeout(2000)
                page.reload()
                page.get_by_role("heading", name="Today's picks").wait_for()
                _settle(page)
            _no_exception(page)
            assert page.get_by_text("confidence").count() >= 1
            page.screenshot(path=ARTIFACTS / "3-dashboard-picks.png", full_page=True)

            _open(page, "Chat")
            chat = page.get_by_test_id("stChatInputTextArea")
            chat.fill("I loved Inception, the epic visuals were stunning, but I want faster pacing")
            chat.press("Enter")
            page.get_by_text("Learned:").first.wait_for()
            _settle(page)
            _no_exception(page)
            page.screenshot(path=ARTIFACTS / "4-chat.png", full_page=True)

            _open(page, "Your taste")
            page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
            page.wait_for_timeout(1500)  # plotly draws after the element mounts
            _no_exception(page)
            page.screenshot(path=ARTIFACTS / "5-taste.png", full_page=True)

        finally:
            browser.close()
    assert shutil.which("chromium") or CHROMIUM.exists()
