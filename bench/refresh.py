"""Refresh latency: a rating is inserted → how long until that user's picks have a newer generated_at.

A real `python -m worker` process runs against the embedded database, once with LISTEN/NOTIFY (the
default) and once poll-only (`--no-listen`), same poll interval, same users, in the same run. Ratings
arrive at a steady rate, round-robin over the users, so a user never has two refreshes in flight.
Latency is measured on the database clock: generated_at of the refreshed picks minus the rating's
commit time.

    python -m bench.refresh [--ratings 50] [--users 20] [--poll-seconds 5] [--full-people 3] [--json]

Then the full-refresh row (bench/refresh_full.py): a 1,000-rating person's first and manual refresh through a
running worker, end to end, target ≤ 10 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

from bench import refresh_full
from bench.bench_db import (
    add_database_and_output_args,
    bench_database,
    create_users,
    machine,
    popular_by_genre,
    run_and_print,
)
from cine_core.config import PROJECT_ROOT
from cine_core.db import open_pool, transaction

log = logging.getLogger(__name__)

RATE_SQL = """
insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)
on conflict (user_id, movie_id) do update set rating = excluded.rating, rated_at = now()
"""
LATEST_PICK_SQL = "select max(generated_at) as at from recommendations where user_id = %s"
CHECK_SECONDS = 0.02  # how often the bench looks for refreshed picks


def _worker_env(url: str) -> dict[str, str]:
    """Offline services (catalog, local matcher): the bench times the queue path, not TMDB or Claude."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "TMDB_", "CINE_WORKER_"))}
    env.update({"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(PROJECT_ROOT)})
    return env


def _worker(url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "worker", *args], cwd=PROJECT_ROOT, env=_worker_env(url))


def _wait_ready(pool, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with pool.connection() as conn:
            if conn.execute("select count(*) as n from worker_heartbeat").fetchone()["n"] >= count:
                return
        time.sleep(0.1)
    raise RuntimeError("the worker did not start")


def _rate(pool, user_id: str, movie_id: int, rating: float):
    """Insert a rating; returns its commit time on the database clock."""
    with transaction(pool) as conn:
        conn.execute(RATE_SQL, (user_id, movie_id, rating))
    with pool.connection() as conn:
        return conn.execute("select clock_timestamp() as at").fetchone()["at"]


def collect_refreshed(pool, pending: dict, latencies: list[float]) -> int:
    """Move each pending rating whose refreshed picks have landed into `latencies` (seconds from the rating's
    commit); drop those past their deadline. `pending`: user → (commit time, monotonic deadline). Returns the
    number that timed out."""
    timeouts = 0
    with pool.connection() as conn:
        for user, (committed, deadline) in list(pending.items()):
            latest = conn.execute(LATEST_PICK_SQL, (user,)).fetchone()["at"]
            if latest is not None and latest > committed:
                latencies.append((latest - committed).total_seconds())
                del pending[user]
            elif time.monotonic() > deadline:
                timeouts += 1
                del pending[user]
    return timeouts


def _rated_films(pool, users: list[str]) -> dict[str, set[int]]:
    with pool.connection() as conn:
        rated: dict[str, set[int]] = {u: set() for u in users}
        for row in conn.execute("select user_id::text as u, movie_id from ratings").fetchall():
            rated.setdefault(row["u"], set()).add(row["movie_id"])
    return rated


def measure(pool, url: str, users: list[str], films: list[int], args: argparse.Namespace, *, listen: bool) -> dict:
    """Run one worker configuration and time `args.ratings` refreshes."""
    with pool.connection() as conn:
        conn.execute("delete from worker_heartbeat")
        conn.commit()
    flags = ["--no-scout", "--poll-seconds", str(args.poll_seconds)] + ([] if listen else ["--no-listen"])
    worker = _worker(url, *flags)
    rng = random.Random(args.seed + (0 if listen else 1))
    latencies: list[float] = []
    timeouts = 0
    rated = _rated_films(pool, users)
    try:
        _wait_ready(pool, 1)
        time.sleep(0.5)
        pending: dict[str, tuple[object, float]] = {}  # user -> (rating commit time, wall deadline)
        next_rating, issued = time.monotonic(), 0
        while issued < args.ratings or pending:
            now = time.monotonic()
            if issued < args.ratings and now >= next_rating:
                user = users[issued % len(users)]
                if user not in pending:
                    # a film new to this user: re-rating with the same value rightly changes nothing
                    movie_id = rng.choice([f for f in films if f not in rated[user]])
                    rated[user].add(movie_id)
                    committed = _rate(pool, user, movie_id, rng.choice((3.5, 4.0, 4.5, 5.0)))
                    pending[user] = (committed, now + args.timeout)
                    issued += 1
                next_rating = now + args.interval
            timeouts += collect_refreshed(pool, pending, latencies)
            time.sleep(CHECK_SECONDS)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return _summary("LISTEN/NOTIFY + poll" if listen else "poll only", latencies, timeouts, args)


def _summary(name: str, latencies: list[float], timeouts: int, args: argparse.Namespace) -> dict:
    ordered = sorted(latencies)

    def pct(p: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))], 3)

    return {"config": name, "poll_seconds": args.poll_seconds, "ratings": len(ordered), "timeouts": timeouts,
            "p50_s": pct(50), "p95_s": pct(95), "max_s": round(ordered[-1], 3) if ordered else None,
            "mean_s": round(statistics.fmean(ordered), 3) if ordered else None}


def run(args: argparse.Namespace) -> dict:
    with bench_database(args.database_url) as url:
        pool = open_pool(url, max_size=4, name="bench-refresh")
        try:
            users = create_users(pool, args.users, seed=args.seed)
            films = popular_by_genre(pool)["*"]
            initial = subprocess.run([sys.executable, "-m", "worker", "--once", "--all"], cwd=PROJECT_ROOT,
                                     env=_worker_env(url),
                                     capture_output=True, text=True, timeout=600)
            if initial.returncode != 0:
                raise RuntimeError(f"initial scout failed: {initial.stderr[-2000:]}")
            rows = [measure(pool, url, users, films, args, listen=True),
                    measure(pool, url, users, films, args, listen=False)]
            full = (refresh_full.measure_full(pool, url, people=args.full_people, ratings=args.full_ratings,
                                              seed=args.seed) if args.full_people else None)
        finally:
            pool.close()
    listen, poll = rows
    ratio = round(poll["p50_s"] / listen["p50_s"], 1) if listen["p50_s"] and poll["p50_s"] else None
    return {"benchmark": "refresh", "machine": machine(), "users": args.users, "interval_s": args.interval,
            "rows": rows, "p50_ratio_poll_vs_listen": ratio, "full_refresh": full}


def markdown(result: dict) -> str:
    """The table for bench/RESULTS.md."""
    lines = [
        f"Refresh latency: rating inserted → that user's picks have a newer generated_at; one worker process "
        f"(quick refresh, local matcher, offline catalog), {result['users']} users, a rating every "
        f"{result['interval_s']} s; {result['machine']}.",
        "",
        "| worker configuration | poll interval | ratings | p50 (s) | p95 (s) | max (s) | mean (s) | timeouts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(f"| {r['config']} | {r['poll_seconds']} s | {r['ratings']} | {r['p50_s']} | {r['p95_s']} "
                     f"| {r['max_s']} | {r['mean_s']} | {r['timeouts']} |")
    lines += ["", f"Poll-only p50 is {result['p50_ratio_poll_vs_listen']}× the LISTEN/NOTIFY p50."]
    if result.get("full_refresh"):
        lines += ["", refresh_full.markdown(result["full_refresh"])]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=50, help="ratings timed per configuration")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between ratings")
    parser.add_argument("--poll-seconds", type=float, default=5.0, help="the worker's polling interval")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up on one refresh after this")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--full-people", type=int, default=3, help="1,000-rating people timed (0: no full-refresh row)")
    parser.add_argument("--full-ratings", type=int, default=refresh_full.FULL_RATINGS)
    add_database_and_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    return run_and_print(run, markdown, parse_args(argv))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
