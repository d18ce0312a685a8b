"""bench.refresh's full-refresh row (issue 23.5): a 1,000-rating person's picks refreshed end to end through a
real worker process, target ≤ 10 s on this machine.

Per person, two refreshes through the queue, timed from the request's commit until the bench sees the new picks
(`generated_at` newer than the request): the first one (no earlier analysis, so a full refresh: what an import
leaves) and then a manual one (the Refresh button: always full). The worker is warmed by a small person's refresh
first, so the figures are a running worker's, not its start-up.

    python -m bench.refresh_full [--people 3] [--ratings 1000] [--json]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence

from bench.bench_db import GENRES, add_database_and_output_args, bench_database, machine, run_and_print

FULL_RATINGS = 1_000
TARGET_SECONDS = 10.0
WAIT_SECONDS = 300.0
CHECK_SECONDS = 0.02
FILM_POOL_FACTOR = 3  # a person's films come from the 3 × n most-voted films
RATED_DAYS = 5 * 365


def make_person(pool, ratings: int, *, seed: int) -> str:
    """A cinephile: `ratings` distinct well-known films over five years; two favourite genres mostly rated
    3.5–5★, the rest spread over 0.5–4★ (a generated history shaped like a real one)."""
    from cine_core.db import transaction

    rng = random.Random(seed)
    liked = set(rng.sample(GENRES, 2))
    with transaction(pool) as conn:
        films = conn.execute("select id, genres from movies where vote_count >= 50 order by vote_count desc"
                             " limit %s", (ratings * FILM_POOL_FACTOR,)).fetchall()
        user = conn.execute("insert into auth.users (email) values (%s) returning id::text as id",
                            (f"full-refresh-{seed}@example.com",)).fetchone()["id"]
        rows = []
        for film in rng.sample(films, ratings):
            fond = liked & set(film["genres"])
            stars = rng.choice((3.5, 4.0, 4.0, 4.5, 5.0)) if fond else rng.choice((0.5, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0))
            rows.append((user, film["id"], stars, rng.randint(1, RATED_DAYS)))
        with conn.cursor() as cur:
            cur.executemany("insert into ratings (user_id, movie_id, rating, source, rated_at)"
                            " values (%s, %s, %s, 'letterboxd', now() - make_interval(days => %s))", rows)
        conn.execute("delete from recommendation_refresh_queue where user_id = %s", (user,))
    return user


def timed_refresh(pool, user: str, trigger: str) -> float:
    """Seconds from the request's commit until the person's picks are newer than it (bench's clock)."""
    from cine_core.db import transaction
    from cine_core.jobs import refresh_queue

    with transaction(pool) as conn:
        asked_at = conn.execute("select clock_timestamp() as at").fetchone()["at"]
        refresh_queue.request_refresh(conn, user, trigger)
    started = time.perf_counter()
    while time.perf_counter() - started < WAIT_SECONDS:
        with pool.connection() as conn:
            latest = conn.execute("select max(generated_at) as at from recommendations where user_id = %s",
                                  (user,)).fetchone()["at"]
        if latest is not None and latest > asked_at:
            return time.perf_counter() - started
        time.sleep(CHECK_SECONDS)
    raise TimeoutError(f"no new picks for {user} within {WAIT_SECONDS:.0f} s")


def _row(name: str, seconds: list[float]) -> dict:
    return {"refresh": name, "n": len(seconds), "p50_s": round(statistics.median(seconds), 2),
            "max_s": round(max(seconds), 2), "within_target": max(seconds) <= TARGET_SECONDS}


def measure_full(pool, url: str, *, people: int, ratings: int, seed: int) -> dict:
    """Make the people, start a worker, warm it, then time each person's first and manual refresh."""
    from bench.refresh import _wait_ready, _worker

    warm = make_person(pool, 20, seed=seed - 1)
    users = [make_person(pool, ratings, seed=seed + i) for i in range(people)]
    with pool.connection() as conn:
        conn.execute("delete from worker_heartbeat")
        conn.commit()
    worker = _worker(url, "--no-scout")
    try:
        _wait_ready(pool, 1)
        warm_s = timed_refresh(pool, warm, "new_rating")  # the worker's warm-up is paid here
        first = [timed_refresh(pool, user, "import") for user in users]
        manual = [timed_refresh(pool, user, "manual") for user in users]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {"ratings": ratings, "people": people, "warm_up_s": round(warm_s, 2), "target_s": TARGET_SECONDS,
            "rows": [_row("first refresh (after an import)", first), _row("manual refresh (Refresh button)", manual)]}


def run(args: argparse.Namespace) -> dict:
    from cine_core.db import open_pool

    with bench_database(args.database_url) as url:
        pool = open_pool(url, max_size=2, name="bench-refresh-full")
        try:
            full = measure_full(pool, url, people=args.people, ratings=args.ratings, seed=args.seed)
        finally:
            pool.close()
    return {"benchmark": "refresh_full", "machine": machine(), **full}


def markdown(result: dict) -> str:
    lines = [f"Full refresh of a {result['ratings']:,}-rating person, end to end through a running worker "
             f"(request committed → new picks visible), {result['people']} people. "
             f"The worker's first job (its warm-up) took {result['warm_up_s']} s and is not counted.", "",
             "| refresh | people | p50 (s) | max (s) | ≤ 10 s |", "|---|---:|---:|---:|---|"]
    lines += [f"| {r['refresh']} | {r['n']} | {r['p50_s']} | {r['max_s']} | {'yes' if r['within_target'] else 'NO'} |"
              for r in result["rows"]]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.refresh_full", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3)
    parser.add_argument("--ratings", type=int, default=FULL_RATINGS)
    parser.add_argument("--seed", type=int, default=23)
    add_database_and_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    return run_and_print(run, markdown, parse_args(argv))


if __name__ == "__main__":
    main()
