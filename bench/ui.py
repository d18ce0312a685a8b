"""Click latency in a real browser (issue 16): a card action on the dashboard, click → page settled, against
a bare Streamlit page with one button measured in the same run; dashboard navigation → first pick, cold and warm;
the Library with a big history (issue 23): page and tabs settled and a search answered, with a nearly empty
library and with 3,000 ratings and 5,000 watchlist films.

    python -m bench.ui [--clicks N] [--rounds N] [--library-only] [--json]

Needs Debian's chromium (as the browser test does). The dashboard user is a real imported history whose picks
the real worker stored, so the page is what a person sees.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from bench.bench_db import bench_database
from bench.ui_library import BIG_RATINGS, BIG_WATCHLIST, add_big_history, big_copy, library_figures
from bench.ui_library import settle_ms as _settle_ms
from cine_core.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
EXPORT = PROJECT_ROOT.parent / "shared" / "data" / "real_exports" / "letterboxd_2022" / "ratings.csv"
WARM_LINE = "Froze"  # cine_core.memory logs it once a server's warm-ups are done
WARM_TIMEOUT = 600.0
NAVIGATIONS = 3  # warm reloads and in-app navigations measured (median reported)
BARE_PAGE = ('import streamlit as st\nst.title("Bare")\nst.session_state.setdefault("n", 0)\n'
             'if st.button("Click"):\n    st.session_state.n += 1\nst.write(f"Clicks: {st.session_state.n}")\n')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _streamlit(script: Path, env: dict[str, str], log: Path | None = None) -> Iterator[str]:
    """A Streamlit server of `script`; its URL. `log`: where its output goes (else nowhere)."""
    port = _free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below, after the server)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
                            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if log:
            out.close()


def wait_until_warm(page, apps: dict[str, str], logs: dict[str, Path], timeout: float = WARM_TIMEOUT) -> float:
    """Visit each app once (its first run starts the server's warm-ups: the catalog's title index, the ranker, the
    scorer and chat imports), then wait until every one has logged that they are done (ui.context freezes what
    they built and says so). Seconds waited. On a loaded machine they take minutes and compete with the page's own
    runs: measured through them, the second server visited looked up to 3x slower than the first."""
    started = time.monotonic()
    for url in apps.values():
        page.goto(f"{url}/library")
        page.get_by_label("Search films by title").wait_for(timeout=120_000)
    while not all(WARM_LINE in path.read_text(errors="replace") for path in logs.values()):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"the app servers were not warm within {timeout:.0f} s")
        time.sleep(1)
    return time.monotonic() - started


def _click_until(page, button, changed_js: str, arg: object = None) -> float:
    """Milliseconds from the click until `changed_js(arg)` is true in the page: what the person sees happen.

    The check runs inside the page on every animation frame (no round trip to the driver per poll), so the
    size of the page does not slow the measurement itself down, only what the browser really has to do.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button.scroll_into_view_if_needed(timeout=10_000)
    started = time.perf_counter()
    button.click()
    try:
        page.wait_for_function(changed_js, arg=arg, polling="raf", timeout=30_000)
    except PlaywrightTimeout as exc:
        raise TimeoutError("the click had no visible effect within 30 s") from exc
    return (time.perf_counter() - started) * 1000


# The bare page's counter reads n; a card's action row shows the other watchlist toggle (📌 ⇄ ✅).
BARE_CHANGED = "n => document.body.innerText.includes(`Clicks: ${n}`)"
CARD_CHANGED = "([row, shown]) => { const el = document.querySelector(`.${row}`); return !!el && el.innerText.includes(shown); }"
ACTION_ROW = ("b => [...b.closest('[class*=\"st-key-actions-\"]').classList]"
              ".find(c => c.startsWith('st-key-actions-'))")


def _summary(values: list[float]) -> dict[str, float]:
    o = sorted(values) or [float("nan")]
    return {"p50_ms": round(statistics.median(o), 1), "p95_ms": round(o[min(len(o) - 1, int(0.95 * len(o)))], 1), "n": len(o)}


def _prepare(url: str, env: dict[str, str]) -> None:
    """A person with an imported history and picks the real worker stored."""
    run_env = {**env, "DATABASE_URL": url}
    for command in (["setup"], ["import", str(EXPORT)]):
        done = subprocess.run([sys.executable, "-m", "cine_core", *command], cwd=PROJECT_ROOT, env=run_env,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"cine_core {command[0]} failed: {done.stderr.strip()[-500:]}")
    subprocess.run([sys.executable, "-m", "worker", "--once"], cwd=PROJECT_ROOT, env=run_env, check=True,
                   capture_output=True)


def _dashboard_figures(page, app_url: str, bare_url: str, clicks: int) -> dict:
    """The bare page's clicks, the dashboard's first pick (cold, warm, in-app) and its card actions."""
    page.goto(bare_url)
    page.get_by_role("button", name="Click").wait_for()
    _settle_ms(page, time.perf_counter())
    bare = [_click_until(page, page.get_by_role("button", name="Click"), BARE_CHANGED, n) for n in range(1, clicks + 1)]
    started = time.perf_counter()
    page.goto(app_url)
    page.get_by_text("confidence").first.wait_for()
    cold = (time.perf_counter() - started) * 1000
    _settle_ms(page, time.perf_counter())
    warm_loads, in_app = [], []
    for _ in range(NAVIGATIONS):
        started = time.perf_counter()
        page.reload()  # a new session on a warm server: the browser loads the page again
        page.get_by_text("confidence").first.wait_for()
        warm_loads.append((time.perf_counter() - started) * 1000)
        _settle_ms(page, time.perf_counter())
    for _ in range(NAVIGATIONS):  # from another page of the app, through the sidebar (same session)
        page.get_by_role("link", name=re.compile("Settings")).first.click()
        page.get_by_text("confidence").first.wait_for(state="detached")
        _settle_ms(page, time.perf_counter())
        started = time.perf_counter()
        page.get_by_role("link", name=re.compile("Today's picks")).first.click()
        page.get_by_text("confidence").first.wait_for()
        in_app.append((time.perf_counter() - started) * 1000)
        _settle_ms(page, time.perf_counter())
    toggles = page.get_by_role("button", name=re.compile(r"^(📌|✅)$"))  # each card has one
    dashboard, missed = [], 0
    try:
        for n in range(clicks):
            toggle = toggles.nth(n % 4)
            row, shown = toggle.evaluate(ACTION_ROW), "✅" if "📌" in toggle.inner_text() else "📌"
            try:
                dashboard.append(_click_until(page, toggle, CARD_CHANGED, [row, shown]))
            except TimeoutError:  # counted, not hidden: a click that shows nothing is a defect
                missed += 1
            _settle_ms(page, time.perf_counter())
    except Exception:
        page.screenshot(path="/tmp/bench-ui-failure.png", full_page=True)
        raise
    bare_s, dash_s = _summary(bare), _summary(dashboard)
    return {"clicks": clicks, "bare": bare_s, "dashboard_card_action": dash_s, "clicks_without_effect": missed,
            "ratio_p50": round(dash_s["p50_ms"] / max(bare_s["p50_ms"], 1.0), 2),
            "dashboard_first_pick_ms": {"cold": round(cold), "warm": round(statistics.median(warm_loads)),
                                        "in_app": round(statistics.median(in_app))}}


def run(args: argparse.Namespace) -> dict:
    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_", "SUPABASE_"))}
    with bench_database(args.database_url) as db_url, tempfile.TemporaryDirectory() as folder:
        _prepare(db_url, env)
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE_PAGE)
        big_url = big_copy(db_url)  # the same person with 3,000 ratings and 5,000 watchlist films, its own server
        add_big_history(big_url)
        app_env = {**env, "DATABASE_URL": db_url}
        logs = {"small": Path(folder) / "small.log", "big": Path(folder) / "big.log"}
        with _streamlit(PROJECT_ROOT / "app.py", app_env, logs["small"]) as app_url, \
                _streamlit(bare_script, env) as bare_url, \
                _streamlit(PROJECT_ROOT / "app.py", {**app_env, "DATABASE_URL": big_url}, logs["big"]) as big_app_url, \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(60_000)
            result = {} if args.library_only else _dashboard_figures(page, app_url, bare_url, args.clicks)
            apps = {"small": app_url, "big": big_app_url}
            warm_s = wait_until_warm(page, apps, logs)
            library = library_figures(page, apps, args.rounds)
            browser.close()
    ratios = {name: round(library["big"][name] / max(library["small"][name], 1.0), 2) for name in library["big"]}
    return {**result, "library_ms": library, "library_big_over_small": ratios["page"],
            "library_ratios": ratios, "warm_up_s": round(warm_s), "load": [round(x, 1) for x in os.getloadavg()]}


def _dashboard_markdown(result: dict) -> list[str]:
    b, d, nav = result["bare"], result["dashboard_card_action"], result["dashboard_first_pick_ms"]
    return [
        f"Click → settled in headless Chromium, {result['clicks']} clicks each (watchlist toggle on a pick card).",
        "", "| page | p50 ms | p95 ms |", "|---|---:|---:|",
        f"| bare Streamlit page, one button | {b['p50_ms']} | {b['p95_ms']} |",
        f"| dashboard card action | {d['p50_ms']} | {d['p95_ms']} |", "",
        f"Clicks with no visible effect within 30 s: {result['clicks_without_effect']}.", "",
        f"Ratio (dashboard p50 / bare p50): **{result['ratio_p50']}×** (target ≤ 2×). Dashboard → first pick "
        f"visible: {nav['cold']} ms cold (first visit after the server starts), {nav['warm']} ms warm (page reload, "
        f"median of {NAVIGATIONS}), {nav['in_app']} ms from another page through the sidebar (median of {NAVIGATIONS}).",
        "",
    ]


def markdown(result: dict) -> str:
    library = result["library_ms"]
    ratios = result.get("library_ratios") or {"page": result["library_big_over_small"]}
    shown = " · ".join(f"{name.replace('_', ' ')} {ratio}×" for name, ratio in ratios.items())
    return "\n".join([
        *(_dashboard_markdown(result) if "bare" in result else []),
        f"Library, page settled and a search's first result (ms, median; two app servers visited in alternation, so "
        f"both see the same machine load): the imported history (5 ratings) vs the same person with "
        f"{BIG_RATINGS:,} ratings and {BIG_WATCHLIST:,} watchlist films.",
        "", "| library | page | Watchlist tab | History tab | search |", "|---|---:|---:|---:|---:|",
        *[f"| {name} | {lib['page']} | {lib['watchlist_tab']} | {lib['history_tab']} | {lib['search']} |"
          for name, lib in (("nearly empty", library["small"]), ("big history", library["big"]))],
        "", f"Big over nearly empty (page): **{result['library_big_over_small']}×** (target ≤ 1.5× for each; "
        f"search < 1,000 ms); by figure: {shown}.",
        *(["Paired (median of each round's big / small): "
           + " · ".join(f"{k.replace('_', ' ')} {v}×" for k, v in library["paired"].items()) + "."]
          if library.get("paired") else []),
        *([f"Measured after the servers' warm-ups ({result['warm_up_s']} s); load average at the end "
           f"{' / '.join(map(str, result['load']))}."] if "load" in result else []),
    ])


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="Library visits per history (median)")
    parser.add_argument("--library-only", action="store_true", help="only the Library figures (no dashboard)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    result = run(args)
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
