"""Memory soak (issue 26.7): the app's RSS over N dashboard reruns and M chat turns, the worker's over J jobs.

    python -m bench.memory [--reruns 300] [--chat-turns 80] [--jobs 150] [--no-rate | --fixed-history] [--full]
                           [--quick] [--json]

The app: app.py in its own process under Streamlit's AppTest (the same script runs, session state, caches,
`runner.postScriptGC` and the warm-up's gc.freeze() as on a server; no websocket), as the personal-mode local
user with 8 ratings and 12 stored picks. It reruns the dashboard `--reruns` times, then sends `--chat-turns`
chat messages through the chat page (the chat's 30-a-minute limit is real: every 25 turns the bench ages the
person's past messages by two minutes so each turn is answered, not refused). The worker: one real
`python -m worker --no-scout` refreshing `--users` synthetic people's picks until `--jobs` jobs have completed,
each job asked for by a new rating (the ratings trigger), so each one ranks the catalog and stores picks
(~1 s a job on 2 cores; with --no-rate the taste is unchanged and most jobs keep the picks in ~0.2 s; with
--fixed-history each rating changes one the person already has, so histories stay at 12 and growth is not the data).
RSS (VmRSS of /proc/PID/status) is sampled every `--every` steps with the time. Flat after warm-up: the last
quarter's median RSS (after warm-up: the app once ui/context has frozen the warmed catalog, chat once the page's
window of its last 30 turns is full, the worker after its first round) is within max(5 %, 15 MB) of the first quarter's; the slope (MB per 100
steps after warm-up) is reported beside it.
`--full` is the issue's size: 1,000 reruns, 200 chat turns, 1,000 jobs (~20 min on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bench_db import add_database_and_output_args, bench_database, create_users, machine, popular_by_genre
from bench.refresh import _wait_ready
from cine_core.config import LOCAL_USER_ID, PROJECT_ROOT

FLAT_SHARE = 0.05
FLAT_MB = 15.0
CHAT_WINDOW = 30  # turns the chat page draws (pages/chat.py HISTORY_MESSAGES): its content grows until then
CHAT_LIMIT_EVERY = 25  # turns between agings of past messages (the database allows 30 a minute)
CHAT_MESSAGES = ("something uplifting please", "I love heist films with a twist", "like Heat but shorter",
                 "what did you learn about me?", "I can't stand horror", "a cosy film for a rainy night",
                 "more films by Denis Villeneuve", "tonight I want something funny")


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def verdict(samples: list[list[float]], warm_from: int = 1) -> dict:
    """Samples are [seconds, step, rss_mb, ...]; those from index `warm_from` on are after the warm-up. Their first
    quarter's median is the baseline, their last quarter's the end; flat if it grew by at most max(5 %, 15 MB)."""
    rss = [s[2] for s in samples]
    warm = samples[min(warm_from, len(samples) - 1):]
    quarter = max(1, len(warm) // 4)
    base, last = statistics.median(s[2] for s in warm[:quarter]), statistics.median(s[2] for s in warm[-quarter:])
    steps = [s[1] for s in warm]
    slope = statistics.linear_regression(steps, [s[2] for s in warm]).slope if len(set(steps)) > 1 else 0.0
    return {"rss_start_mb": round(rss[0], 1), "warm_from_step": warm[0][1], "rss_after_warm_up_mb": round(base, 1),
            "rss_end_mb": round(rss[-1], 1), "rss_max_mb": round(max(rss), 1),
            "growth_after_warm_up_mb": round(last - base, 1), "mb_per_100_steps_after_warm_up": round(100 * slope, 2),
            "flat": last - base <= max(FLAT_SHARE * base, FLAT_MB)}


# --- the app (a child process, so its RSS is the app's alone) -----------------------------------------------
def _age_chat(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("update public.movie_conversations set created_at = created_at - interval '2 minutes'"
                     " where user_id = %s", (LOCAL_USER_ID,))


def app_child(url: str, reruns: int, chat_turns: int, every: int) -> dict:
    import gc

    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    started, samples, errors = time.monotonic(), [], []

    def sample(step: int) -> None:
        # the 4th field: the warm-up is over (ui/context.freeze_after_warm_up has frozen the catalog)
        samples.append([round(time.monotonic() - started, 2), step, round(rss_mb(), 1), gc.get_freeze_count() > 0])

    def checked(app) -> None:
        if app.exception:
            errors.append(str(app.exception[0].value)[:300])

    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("pages/dashboard.py").run()
    sample(0)
    for step in range(1, reruns + 1):
        app.run()
        checked(app)
        if step % every == 0:
            sample(step)
    app.switch_page("pages/chat.py").run()
    for turn in range(1, chat_turns + 1):
        if turn % CHAT_LIMIT_EVERY == 0:
            _age_chat(url)
        app.chat_input(key="chat-input").set_value(f"{CHAT_MESSAGES[turn % len(CHAT_MESSAGES)]} ({turn})").run()
        checked(app)
        if turn % max(1, every // 5) == 0:
            sample(reruns + turn)
    sample(reruns + chat_turns)
    return {"samples": samples, "errors": len(errors), "first_error": errors[0] if errors else None,
            "frozen_objects": gc.get_freeze_count(), "seconds": round(time.monotonic() - started, 1)}


def app_phases(samples: list[list], reruns: int) -> tuple[dict, dict]:
    """The app's samples ([seconds, step, rss_mb, frozen]) as phases, each warmed up on its own, and the whole run.

    The dashboard is warm once the warm-up threads are done (the freeze). Chat builds its names index and engine
    on its first message, and the page draws the last CHAT_WINDOW turns: until that window is full each turn adds
    one more drawn turn to every run, by design, so chat is warm from the first sample at CHAT_WINDOW turns on
    (the row from its first message is reported beside it, not judged)."""
    dashboard = [s for s in samples if s[1] <= reruns]
    chat = [s for s in samples if s[1] > reruns]
    frozen = next((i for i, s in enumerate(dashboard) if s[3]), len(dashboard) - 1)
    full = next((i for i, s in enumerate(chat) if s[1] - reruns >= CHAT_WINDOW), 1)
    phases = {"dashboard": verdict(dashboard, frozen)}
    if len(chat) >= 3:
        phases |= {"chat": verdict(chat, full if len(chat) - full >= 3 else 1),
                   "chat from its first message": verdict(chat, 1)}
    whole = verdict(samples, frozen)
    whole["flat"] = all(p["flat"] for name, p in phases.items() if name != "chat from its first message")
    return phases, whole


def measure_app(url: str, args: argparse.Namespace) -> dict:
    from bench.load_server import seed_stored_picks

    seed_stored_picks(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_", "SUPABASE_"))}
    env.update(PYTHONPATH=str(PROJECT_ROOT), LOG_LEVEL="WARNING")
    done = subprocess.run([sys.executable, "-m", "bench.memory", "--app-child", url, "--reruns", str(args.reruns),
                           "--chat-turns", str(args.chat_turns), "--every", str(args.every)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=7200)
    if done.returncode:
        raise RuntimeError(f"the app soak failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    phases, whole = app_phases(result["samples"], args.reruns)
    return {"reruns": args.reruns, "chat_turns": args.chat_turns, **result, **whole, "phases": phases}


# --- the worker -----------------------------------------------------------------------------------------------
def _drained(pool, worker: subprocess.Popen) -> int:
    """Wait until no job is pending or running (a completed job leaves the queue; a failed one stays, marked);
    returns how many failed."""
    while True:
        with pool.connection() as conn:
            row = conn.execute("select count(*) filter (where status in ('pending', 'running')) as open,"
                               " count(*) filter (where status = 'failed') as failed"
                               " from public.recommendation_refresh_queue").fetchone()
        if row["open"] == 0:
            return row["failed"]
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited ({worker.returncode})")
        time.sleep(0.2)


class _Asker:
    """One job per person per round (a queued job absorbs a second): a new rating (the ratings trigger asks, the
    job ranks and stores anew), a changed one (--fixed-history: the history keeps its size) or a plain request."""

    def __init__(self, pool, users: list[str], args: argparse.Namespace) -> None:
        self.users, self.args = users, args
        self.films = popular_by_genre(pool)["*"]
        self.count = dict.fromkeys(users, 0)
        with pool.connection() as conn:
            self.own = {u: [r["movie_id"] for r in conn.execute(
                "select movie_id from public.ratings where user_id = %s order by movie_id", (u,))] for u in users}

    def ask(self, conn, user: str) -> int:
        from cine_core.jobs import refresh_queue

        if not self.args.rate:
            return int(refresh_queue.request_refresh(conn, user, "scheduled"))
        self.count[user] += 1
        n = self.count[user]
        film = (self.own[user][n % len(self.own[user])] if self.args.fixed_history
                else self.films[(n * 7 + self.users.index(user)) % len(self.films)])
        conn.execute("insert into public.ratings (user_id, movie_id, rating) values (%s, %s, %s)"
                     " on conflict (user_id, movie_id) do update set rating = excluded.rating",
                     (user, film, 3.5 + (n % 4) / 2))
        return 1


def measure_worker(url: str, args: argparse.Namespace) -> dict:
    from cine_core.db import open_pool, service_transaction

    pool = open_pool(url, max_size=2, name="bench-memory")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_", "CINE_WORKER_"))}
    env.update(DATABASE_URL=url, LOG_LEVEL="WARNING", PYTHONPATH=str(PROJECT_ROOT))
    try:
        users = create_users(pool, args.users, seed=26)
        asker = _Asker(pool, users, args)
        worker = subprocess.Popen([sys.executable, "-m", "worker", "--no-scout", "--concurrency", "1",
                                   "--poll-seconds", "0.5"], cwd=PROJECT_ROOT, env=env)
        started, samples, created, failed = time.monotonic(), [], 0, 0
        try:
            _wait_ready(pool, 1)
            samples.append([0.0, 0, round(rss_mb(worker.pid), 1)])
            while created < args.jobs:
                with service_transaction(pool) as conn:
                    created += sum(asker.ask(conn, user) for user in users[:args.jobs - created])
                failed = _drained(pool, worker)
                samples.append([round(time.monotonic() - started, 2), created, round(rss_mb(worker.pid), 1)])
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    finally:
        pool.close()
    return {"jobs": created, "users": args.users, "new_rating_per_job": args.rate,
            "fixed_history": args.rate and args.fixed_history, "failed": failed, "samples": samples,
            "seconds": round(time.monotonic() - started, 1), **verdict(samples)}


def run(args: argparse.Namespace) -> dict:
    with bench_database(args.database_url) as url:
        result = {"benchmark": "memory", "machine": machine(),
                  "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
        if args.reruns or args.chat_turns:
            result["app"] = measure_app(url, args)
        if args.jobs:
            result["worker"] = measure_worker(url, args)
    result["flat"] = all(result[k]["flat"] for k in ("app", "worker") if k in result)
    result["errors"] = result.get("app", {}).get("errors", 0) + result.get("worker", {}).get("failed", 0)
    return result


def markdown(result: dict) -> str:
    lines = [f"Memory soak ({result['machine']}, load average {result['load_average_at_start'][0]} at start): RSS "
             "sampled over the run. After warm-up = the app once its catalog is frozen (chat: once the page's 30-turn window is full), the "
             "worker after its first round of jobs; flat = the last quarter's median within max(5 %, 15 MB) of the "
             "first quarter's.",
             "", "| work | RSS start MB | after warm-up MB | end MB | max MB | growth after warm-up MB | "
             "MB per 100 steps after warm-up | flat | errors | s |", "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    rows = []
    if "app" in result:
        app = result["app"]
        rows += [(f"app: {app['reruns']} dashboard reruns", app["phases"]["dashboard"], app["errors"], app["seconds"])]
        if "chat" in app["phases"]:
            rows.append((f"app: then {app['chat_turns']} chat turns (warm: the page's {CHAT_WINDOW}-turn window "
                         "full)", app["phases"]["chat"], "", ""))
            rows.append(("app: the same chat turns (warm: after the first message)",
                         app["phases"]["chat from its first message"], "", ""))
    if "worker" in result:
        worker = result["worker"]
        rated = (", a changed rating before each (histories fixed)" if worker.get("fixed_history")
                 else ", a new rating before each" if worker["new_rating_per_job"] else "")
        rows.append((f"worker: {worker['jobs']} refresh jobs ({worker['users']} people{rated})", worker,
                     worker["failed"], worker["seconds"]))
    for work, r, errors, seconds in rows:
        lines.append(f"| {work} | {r['rss_start_mb']} | {r['rss_after_warm_up_mb']} | {r['rss_end_mb']} | "
                     f"{r['rss_max_mb']} | {r['growth_after_warm_up_mb']} | {r['mb_per_100_steps_after_warm_up']} | "
                     f"{'yes' if r['flat'] else 'NO'} | {errors} | {seconds} |")
    for key in ("app", "worker"):
        if key in result:
            series = ", ".join(f"{s[1]}:{s[2]:.0f}" for s in result[key]["samples"])
            lines += ["", f"{key} RSS series (step:MB): {series}"]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=300, help="dashboard reruns of the app")
    parser.add_argument("--chat-turns", type=int, default=80, help="chat messages after the reruns")
    parser.add_argument("--jobs", type=int, default=150, help="refresh jobs the worker completes")
    parser.add_argument("--users", type=int, default=20, help="people the worker's jobs refresh")
    parser.add_argument("--no-rate", dest="rate", action="store_false",
                        help="jobs as plain requests (an unchanged taste: the worker keeps the picks) instead of "
                             "a new rating before each job (the worker ranks and stores picks every time)")
    parser.add_argument("--fixed-history", action="store_true",
                        help="each job's rating re-rates one of the person's films (histories keep their 12 ratings): "
                             "growth that remains is not the data")
    parser.add_argument("--every", type=int, default=25, help="dashboard reruns between RSS samples")
    parser.add_argument("--full", action="store_true", help="the issue's size: 1,000 reruns, 200 turns, 1,000 jobs")
    parser.add_argument("--quick", action="store_true", help="60 reruns, 45 chat turns, 60 jobs")
    parser.add_argument("--app-child", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    add_database_and_output_args(parser)
    args = parser.parse_args(argv)
    size = {"full": (1000, 200, 1000, 50), "quick": (60, 45, 60, 10)}
    chosen = "full" if args.full else "quick" if args.quick else None
    if chosen:
        args.reruns, args.chat_turns, args.jobs, args.every = size[chosen]
    return args


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_args(argv)
    if args.app_child:
        result = app_child(args.app_child, args.reruns, args.chat_turns, args.every)
        print(json.dumps(result))
        return result
    result = run(args)
    print(json.dumps(result, default=str) if args.json else markdown(result))  # --json: one line
    return result


if __name__ == "__main__":
    main()
