"""`make bench`: every benchmark at sizes that finish in well under 15 minutes on 2 cores, then
rewrite bench/RESULTS.md with the tables, the machine, the date and the commands.

Each benchmark measures its baseline in the same run, so the ratios mean something on a noisy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

# (title, module, argv for `make bench`, argv for `--quick`)
BENCHES = [
    ("Whole catalog, time-split (the headline): the app end to end vs popularity, EASE and the previous engine, "
     "for the shared real people and every MovieLens user nobody fit on (~20 min)", "bench.real_users",
     ["--protocol", "catalog"],
     ["--protocol", "catalog", "--ml-users", "15"]),
    ("Secondary: sampled candidates — trending protocol", "bench.quality", ["--protocol", "trending"],
     ["--protocol", "trending", "--users", "150"]),
    ("Secondary: sampled candidates — uniform protocol", "bench.quality", ["--protocol", "uniform"],
     ["--protocol", "uniform", "--users", "150"]),
    ("Real people: a Trakt history (4,273 ratings) through the import path — uniform protocol", "bench.real_users",
     ["--protocol", "uniform"], ["--protocol", "uniform"]),
    ("Real people: a Trakt history (4,273 ratings) through the import path — trending protocol", "bench.real_users",
     ["--protocol", "trending"], ["--protocol", "trending"]),
    ("Real exports: import match rates for every file in shared/data/real_exports", "bench.real_users",
     ["--all-shared-exports"], ["--all-shared-exports"]),
    ("Browser: click → settled on a pick card vs a bare Streamlit page", "bench.ui", [], ["--clicks", "6"]),
    ("Dashboard: stored picks vs scoring on page load", "bench.dashboard", [],
     ["--users", "1000", "--db-samples", "100", "--app-runs", "10", "--live-samples", "10"]),
    ("Scout: throughput, calls and cost vs one call per film", "bench.scout", [],
     ["--users", "12", "--baseline-users", "4"]),
    ("Claude and TMDB cost per 1,000 users per day over simulated days: batched verdicts paid once vs previous vs the seed's one call per film",
     "bench.cost", ["--users", "20", "--days", "2"], ["--users", "10", "--days", "1"]),  # ~5 s per simulated user-day
    ("TMDB calls per user per day at 100 and 1,000 users (local engine, simulated days)", "bench.tmdb_scale",
     ["--users", "100,1000", "--days", "1"], ["--users", "20,100", "--days", "1"]),  # ~10 min on 2 busy cores
    ("Refresh latency: LISTEN/NOTIFY vs poll only", "bench.refresh", [],
     ["--ratings", "10", "--users", "5"]),
    ("No noisy neighbour: others' rating → new picks while one account hammers refresh and chat and another "
     "imports 200,000 rows", "bench.neighbour", [], ["--users", "10", "--ratings", "20"]),
    ("Chat: intent and insight extraction accuracy of the local engine on labelled messages", "bench.intent", [],
     ["--no-misses"]),
    ("Load: dashboard sessions over Streamlit's websocket, one process's saturation and CPU per view, 2 replicas",
     "bench.load", [], ["--quick"]),  # ~5 min: 60 s at 1, 10 and 50 sessions, 3 closed-loop phases of 15 s
    ("Memory soak: the app's RSS over dashboard reruns and chat turns, the worker's over refresh jobs (flat after "
     "warm-up?)", "bench.memory", ["--reruns", "1000", "--chat-turns", "200", "--jobs", "300"],
     ["--quick"]),  # ~9 min; the 1,000 jobs (--full) take ~15 min more
]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run_all")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", action="append", default=None, help="module name(s) to run, e.g. bench.quality")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite bench/RESULTS.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    started = time.monotonic()
    sections: list[str] = []
    failures = 0
    main_module = sys.modules["__main__"]
    for title, module_name, full_argv, quick_argv in BENCHES:
        if args.only and module_name not in args.only:
            continue
        # Streamlit's AppTest (bench.dashboard) leaves app.py as __main__: a later benchmark's process pool
        # (bench.cost) then started children that ran app.py and died (BrokenProcessPool in `make bench`).
        sys.modules["__main__"] = main_module
        bench_argv = quick_argv if args.quick else full_argv
        command = f"python -m {module_name} {' '.join(bench_argv)}".strip()
        print(f"\n== {title}\n$ {command}", flush=True)
        t0 = time.monotonic()
        try:
            module = importlib.import_module(module_name)
            result = module.main(bench_argv)
            body = module.markdown(result)
        except Exception as exc:  # one broken benchmark must not hide the others' results
            logging.exception("benchmark %s failed", module_name)
            body = f"**Failed:** `{type(exc).__name__}: {exc}`"
            failures += 1
        sections.append(f"## {title}\n\n`{command}` — {time.monotonic() - t0:.0f} s\n\n{body}\n")

    total = time.monotonic() - started
    header = (
        "# CineAI benchmark results\n\n"
        f"Written by `make bench` (`python -m bench.run_all{' --quick' if args.quick else ''}`) on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at commit `{commit()}`, in {total / 60:.1f} min.\n\n"
        f"Machine: {machine()}.\n\n"
        "Every figure comes from this run; each benchmark measures its baseline in the same run, so compare "
        "ratios, not absolute times (the machine is shared and noisy).\n"
    )
    if not args.no_write:
        notes = RESULTS.parent / "NOTES.md"
        extra = f"\n{notes.read_text()}" if notes.exists() else ""
        RESULTS.write_text(header + "\n" + "\n".join(sections) + extra)
        print(f"\nWrote {RESULTS} ({total / 60:.1f} min)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
