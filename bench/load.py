"""Load: N concurrent dashboard sessions at Streamlit's websocket level, one process's saturation rate and CPU
per view, and views per second with 2 replicas on one shared Postgres (issue 18).

    python -m bench.load [--levels 1 10 50] [--duration 60] [--period 10] [--quick] [--json]

Every session is a websocket on `/_stcore/stream` that asks for the dashboard every `--period` seconds for
`--duration` seconds (bench.load_client); timed: request → first pick visible, and → run finished. The person is
the personal-mode local user with a real imported history and the picks the real worker stored (as bench.ui).
CPU per view = the Streamlit process's user+system CPU seconds over the phase / views in the phase. Saturation:
closed-loop sessions (each asks again as soon as a view ends). The baseline, in the same run: a bare Streamlit
page (a title and one line) under the same closed loop. The load generator runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bench_db import bench_database
from bench.load_client import Tally, run_closed, run_paced
from bench.load_server import Server, pick_markers, seed_stored_picks, streamlit_server
from bench.ui import _prepare
from cine_core.config import PROJECT_ROOT

WARM_TRIES = 4
PERSON = {"worker": "an imported Letterboxd history and the picks the worker stored",
          "sql": "8 ratings and 12 stored picks written directly"}
TODAY_CPU_PER_VIEW = 0.21  # issue 18's measurement before this benchmark existed
BARE_MARKER = "Bare pick"
BARE_PAGE = f'import streamlit as st\nst.title("Bare")\nst.write("{BARE_MARKER}")\n'


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))], 1)


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _phase(tally: Tally, servers: Sequence[Server], cpu_before: float, seconds: float, client_before: float) -> dict:
    views = len(tally.done)
    cpu = sum(s.cpu_seconds() for s in servers) - cpu_before
    return {"client_cpu_s": round(_own_cpu() - client_before, 2),"views": views, "errors": tally.error_count, "error_kinds": tally.errors, "first_error": tally.first_error,
            "first_pick_p50_ms": _ms(tally.first_pick, 50), "first_pick_p95_ms": _ms(tally.first_pick, 95),
            "done_p50_ms": _ms(tally.done, 50), "done_p95_ms": _ms(tally.done, 95),
            "page_load_first_pick_p95_ms": _ms([t for t, new in zip(tally.first_pick, tally.new_session,
                                                                     strict=True) if new], 95),
            "rerun_first_pick_p95_ms": _ms([t for t, new in zip(tally.first_pick, tally.new_session,
                                                                 strict=True) if not new], 95),
            "views_per_second": round(views / seconds, 2) if seconds > 0 else None,
            "cpu_per_view_s": round(cpu / views, 4) if views else None}


def _closed(servers: Sequence[Server], markers: tuple[bytes, ...], sessions: int, seconds: float) -> dict:
    cpu, client = [s.cpu_seconds() for s in servers], _own_cpu()
    started = time.perf_counter()
    tally = run_closed([s.uri for s in servers], markers, sessions=sessions, duration=seconds)
    phase = _phase(tally, servers, sum(cpu), tally.last_finish - started, client)
    per_server = [{"views": tally.views_by_server.get(s.uri, 0), "cpu_s": round(s.cpu_seconds() - before, 2)}
                  for s, before in zip(servers, cpu, strict=True)]
    return {"sessions": sessions, "servers": len(servers), **phase, "per_server": per_server}


def _paced(server: Server, markers: tuple[bytes, ...], sessions: int, period: float, seconds: float) -> dict:
    before, client = server.cpu_seconds(), _own_cpu()
    tally = run_paced([server.uri], markers, sessions=sessions, period=period, duration=seconds)
    return {"sessions": sessions, **_phase(tally, [server], before, seconds, client)}


def _warm(server: Server, markers: tuple[bytes, ...], seconds: float) -> None:
    """The first run imports the app's modules, opens the pool and loads the catalog (about 7 s of CPU): not what a
    visitor of a running server waits for. Tried until a view succeeds (a cold view may pass the view timeout on a
    loaded machine), then `seconds` of closed-loop views."""
    for _ in range(WARM_TRIES):
        tally = run_closed([server.uri], markers, sessions=1, duration=0)
        if tally.done:
            run_closed([server.uri], markers, sessions=2, duration=seconds)
            return
    raise RuntimeError(f"the warm-up views failed: {tally.first_error}")


def run(args: argparse.Namespace) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_", "SUPABASE_"))}
    result: dict = {"levels": [], "seed": args.seed, "period_s": args.period, "duration_s": args.duration, "cpus": os.cpu_count(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    with bench_database(args.database_url) as db_url, tempfile.TemporaryDirectory() as folder:
        if args.seed == "worker":
            _prepare(db_url, env)
        else:
            seed_stored_picks(db_url)
        markers = pick_markers(db_url)
        app_env = {**env, "DATABASE_URL": db_url}
        app = PROJECT_ROOT / "app.py"
        with streamlit_server(app, app_env) as first:
            _warm(first, markers, args.warm_seconds)
            for sessions in args.levels:
                result["levels"].append(_paced(first, markers, sessions, args.period, args.duration))
            if args.saturation_seconds:
                result["saturation"] = _closed([first], markers, args.closed_sessions, args.saturation_seconds)
                if args.replicas:
                    with streamlit_server(app, app_env) as second:
                        _warm(second, markers, args.warm_seconds)
                        result["replicas"] = _closed([first, second], markers, args.closed_sessions,
                                                     args.saturation_seconds)
        if args.saturation_seconds:
            bare_script = Path(folder) / "bare.py"
            bare_script.write_text(BARE_PAGE)
            with streamlit_server(bare_script, env) as bare:
                _warm(bare, (BARE_MARKER.encode(),), args.warm_seconds)
                result["bare"] = _closed([bare], (BARE_MARKER.encode(),), args.closed_sessions,
                                         args.saturation_seconds)
    return _verdicts(result)


def _verdicts(result: dict) -> dict:
    levels = {level["sessions"]: level for level in result["levels"]}
    single, busiest = levels.get(1), levels.get(max(levels)) if levels else None
    if single and busiest and single["first_pick_p95_ms"] > 0:
        result["p95_ratio_busiest_vs_single"] = round(busiest["first_pick_p95_ms"] / single["first_pick_p95_ms"], 2)
    result["errors_total"] = sum(level["errors"] for level in result["levels"]) + sum(
        result[key]["errors"] for key in ("saturation", "replicas", "bare") if key in result)
    saturation, bare = result.get("saturation"), result.get("bare")
    if saturation and saturation["cpu_per_view_s"]:
        result["cpu_per_view_vs_today"] = round(saturation["cpu_per_view_s"] / TODAY_CPU_PER_VIEW, 2)
        if bare and bare["cpu_per_view_s"]:
            result["cpu_per_view_vs_bare"] = round(saturation["cpu_per_view_s"] / bare["cpu_per_view_s"], 1)
    if saturation and result.get("replicas") and saturation["views_per_second"]:
        result["replica_speedup"] = round(result["replicas"]["views_per_second"] / saturation["views_per_second"], 2)
    return result


def markdown(result: dict) -> str:
    lines = [
        (f"Dashboard views over Streamlit's websocket protocol (the personal-mode user: {PERSON[result['seed']]}); "
        f"each session views every {result['period_s']:g} s for {result['duration_s']:g} s ({result['cpus']} CPUs, load average "
        f"{result['load_average_at_start'][0]} at start; the load generator shares the machine)."), "",
        ("| sessions | views | errors | view → first pick p50 / p95 ms | first pick p95 ms: new session / rerun | "
         "view → run done p50 / p95 ms | CPU s / view |"),
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for level in result["levels"]:
        lines.append(f"| {level['sessions']} | {level['views']} | {level['errors']} | {level['first_pick_p50_ms']} / "
                     f"{level['first_pick_p95_ms']} | {level['page_load_first_pick_p95_ms']} / "
                     f"{level['rerun_first_pick_p95_ms']} | {level['done_p50_ms']} / {level['done_p95_ms']} | "
                     f"{level['cpu_per_view_s']} |")
    closed = [(key, label) for key, label in (("saturation", "dashboard, 1 Streamlit process"),
                                              ("replicas", "dashboard, 2 replicas, one shared Postgres"),
                                              ("bare", "baseline: bare Streamlit page, 1 process")) if key in result]
    if closed:
        lines += ["", ("| closed loop (sessions ask again at once) | sessions | views/s | CPU s / view | errors | "
                  "first pick p50 / p95 ms |"), "|---|---:|---:|---:|---:|---:|"]
        for key, label in closed:
            phase = result[key]
            lines.append(f"| {label} | {phase['sessions']} | {phase['views_per_second']} | {phase['cpu_per_view_s']}"
                         f" | {phase['errors']} | {phase['first_pick_p50_ms']} / {phase['first_pick_p95_ms']} |")
    facts = []
    if "p95_ratio_busiest_vs_single" in result:
        facts.append(f"p95 at {max(level['sessions'] for level in result['levels'])} sessions / p95 at 1 session: "
                     f"**{result['p95_ratio_busiest_vs_single']}×** (target ≤ 3×)")
    if "cpu_per_view_vs_today" in result:
        facts.append(f"CPU per view {result['saturation']['cpu_per_view_s']} s = **{result['cpu_per_view_vs_today']}×**"
                     f" issue 18's {TODAY_CPU_PER_VIEW} s (target ≤ 0.5×)")
    if "cpu_per_view_vs_bare" in result:
        facts.append(f"{result['cpu_per_view_vs_bare']}× the bare page's CPU per view")
    if "replica_speedup" in result:
        facts.append(f"2 replicas: **{result['replica_speedup']}×** one process's views/s")
    facts.append(f"errors in all phases: {result['errors_total']}")
    return "\n".join(lines + ["", "; ".join(facts) + "."]) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50], help="concurrent sessions per phase")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds each paced phase lasts")
    parser.add_argument("--period", type=float, default=10.0, help="seconds between one session's views")
    parser.add_argument("--saturation-seconds", type=float, default=15.0, help="closed-loop phases; 0 skips them")
    parser.add_argument("--closed-sessions", type=int, default=8, help="sessions in the closed-loop phases")
    parser.add_argument("--no-replicas", dest="replicas", action="store_false", help="skip the 2-replica phase")
    parser.add_argument("--seed", choices=("worker", "sql"), default="worker",
                        help="worker: a real Letterboxd import and the picks the worker stores (about 40 s); "
                             "sql: a few ratings and 12 stored picks written directly (tests)")
    parser.add_argument("--warm-seconds", type=float, default=3.0,
                        help="closed-loop views on each server after its first, before anything is timed")
    parser.add_argument("--quick", action="store_true", help="levels 1 and 3, 5 s phases, 2 s period")
    parser.add_argument("--database-url", default=None, help="default: a throw-away embedded Postgres")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of the tables")
    args = parser.parse_args(argv)
    if args.quick:  # explicit options still win
        for name, value in (("levels", [1, 3]), ("duration", 5.0), ("period", 2.0), ("saturation_seconds", 5.0)):
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    return args


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_args(argv)
    result = run(args)
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
