"""TMDB calls per user per day against the number of users (issue 15): they must not grow with users.

The real scout (cine_core.recommend.pipeline) with the local engine (Claude off) runs for N users over D
simulated days in a fresh database per N, against bench.cost's fake TMDB whose trending list moves on by
8 films a day (DailyTMDB, behind httpx.MockTransport: every call is counted by kind) and with bench.cost's
daily activity (20% of users rate a film, 5% chat, 2% import; a rating or chat message runs the quick
refresh a queue job runs, an import a full one), then the scheduled scout of every user. Day 0 (every
user's first scout) is not counted. Related-film lists are cached per film and discover results per query
for everyone (films/cache.py), so two users who rated the same film share one call; the acceptance is
calls/user/day at 1,000 users <= half of those at 100.

    python -m bench.tmdb_scale [--users 100,1000] [--days 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bench.bench_db import bench_database, create_users, machine
from bench.cost import _apply, day_plans
from bench.cost_fake import DailyTMDB
from cine_core.config import Settings
from cine_core.db import open_pool, transaction
from cine_core.domain.models import DiscoverySource
from cine_core.films.cache import MovieStore
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend import pipeline
from cine_core.recommend.config import config_for_source
from cine_core.recommend.local_scorer import LocalMatcher

log = logging.getLogger(__name__)

LANES = 4


def simulate(users: int, days: int, seed: int) -> dict:
    """One population over the simulated days; TMDB calls per user per day, by kind."""
    started = time.perf_counter()
    plans = day_plans(argparse.Namespace(users=users, days=days, seed=seed))
    with bench_database() as url:
        pool = open_pool(url, max_size=2 * LANES + 2, name=f"bench-tmdb-{users}")
        try:
            people = create_users(pool, users, seed=seed)
            settings = Settings(_env_file=None, database_url=url)  # no Anthropic key: the local engine
            fake = DailyTMDB()
            store = MovieStore(pool, fake.client(usage=UsageRecorder(pool)),
                               ttl=timedelta(days=settings.tmdb_cache_ttl_days))
            local = LocalMatcher(config_for_source(DiscoverySource.TRENDING))
            ctx = pipeline.ScoutContext(
                pool=pool, settings=settings, store=store, local=local, matcher=local,
                catalog_local=LocalMatcher(config_for_source(DiscoverySource.SIMILAR_TO_RATED)))
            with ThreadPoolExecutor(LANES) as lanes:
                list(lanes.map(lambda u: pipeline.scout_user(ctx, u), people))  # day 0: not counted
                before = Counter(fake.calls)
                for day, plan in enumerate(plans, start=1):
                    fake.day = day
                    with transaction(pool) as conn:  # a new day: yesterday's trending lists are stale
                        conn.execute("delete from source_cache where cache_key like 'trending:%%'")
                    for number, what, payload in plan:
                        _apply(pool, people[number], what, payload)
                    list(lanes.map(lambda job: pipeline.scout_user(ctx, people[job[0]], quick=job[1] != "import"),
                                   plan))
                    list(lanes.map(lambda u: pipeline.scout_user(ctx, u), people))
            calls = Counter(fake.calls)
            calls.subtract(before)
        finally:
            pool.close()
    user_days = users * days
    row = {"users": users, "days": days,
           "tmdb_calls_per_user_per_day": round(sum(calls.values()) / user_days, 3),
           "by_kind": {kind: round(n / user_days, 3) for kind, n in sorted(calls.items()) if n},
           "seconds": round(time.perf_counter() - started, 1)}
    log.info("tmdb scale: %s", row)
    return row


def run(args: argparse.Namespace) -> dict:
    rows = [simulate(n, args.days, args.seed) for n in args.users]
    small, large = rows[0], rows[-1]
    ratio = (large["tmdb_calls_per_user_per_day"] / small["tmdb_calls_per_user_per_day"]
             if small["tmdb_calls_per_user_per_day"] else None)
    return {"benchmark": "tmdb_scale", "machine": machine(), "rows": rows,
            "ratio_largest_to_smallest": round(ratio, 3) if ratio is not None else None}


def markdown(result: dict) -> str:
    lines = ["| users | simulated days | TMDB calls / user / day | by kind (per user per day) | seconds |",
             "|---:|---:|---:|---|---:|"]
    for r in result["rows"]:
        kinds = ", ".join(f"{k} {v}" for k, v in r["by_kind"].items())
        lines.append(f"| {r['users']:,} | {r['days']} | {r['tmdb_calls_per_user_per_day']:.3f} | {kinds} "
                     f"| {r['seconds']} |")
    small, large = result["rows"][0], result["rows"][-1]
    lines += ["", (f"{large['users']:,} users vs {small['users']:,}: {result['ratio_largest_to_smallest']}× the TMDB "
                   f"calls per user per day (target ≤ 0.5). Local engine, {result['machine']}.")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=lambda v: [int(x) for x in v.split(",")], default=[100, 1000])
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = run(args)
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
