"""Scout throughput and cost: users/hour with a 1 s LLM, calls and tokens per user, $ per 1,000 users/day.

Throughput is measured at concurrency 1 and at the worker's default (Settings.cine_worker_concurrency), each
on its own fresh users. The claim cost (one scheduled-scout claim of a batch of due users) is measured at
1,000, 10,000 and 100,000 users, as the claim used to run (missing-rows insert + claim, on every claim) and
as it runs now (the insert once per pass, the claim alone).

The LLM is the local Messages API stub (tests/anthropic_stub.py) answering after `--llm-latency`
seconds through the real SDK and ClaudeClient, so tokens and dollars are recorded in `api_usage` as in
production; TMDB is a fake behind httpx.MockTransport serving the catalog, so every call is counted.
The seed's design — one LLM call per trending film, no shared cache — runs in the same process on
the same users as the baseline.

    python -m bench.scout [--users 40] [--concurrency N] [--llm-latency 1.0] [--claim-sizes 1000,10000,100000] [--json]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bench.bench_db import add_database_and_output_args, bench_database, create_users, machine, run_and_print
from cine_core.config import Settings
from cine_core.db import load_sql, open_pool
from cine_core.films.cache import MovieStore
from cine_core.llm.client import ClaudeClient
from cine_core.llm.prices import price_for
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend import pipeline, scout_state
from cine_core.recommend.engine import build_matcher
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.store import load_profile, load_rated
from tests.anthropic_stub import AnthropicStub
from tests.claude_replies import slow_scoring
from tests.fake_tmdb import FakeTMDB

log = logging.getLogger(__name__)

SEED_TRENDING_FILMS = 10  # the seed scored the top 10 trending films, one LLM call each
USAGE_SQL = """
select count(*) as calls, coalesce(sum(tokens_in + cache_read_tokens + cache_write_tokens), 0) as tokens_in,
       coalesce(sum(tokens_out), 0) as tokens_out, coalesce(sum(estimated_cost_usd), 0)::float8 as cost
  from api_usage where service = 'anthropic'
"""


def _usage(pool) -> dict[str, float]:
    with pool.connection() as conn:
        return dict(conn.execute(USAGE_SQL).fetchone())


def _measure(name: str, pool, fake: FakeTMDB, users: Sequence[str], concurrency: int,
             run_one: Callable[[str], object]) -> dict:
    usage_before, tmdb_before, details_before = _usage(pool), sum(fake.calls.values()), fake.count("details")
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as lanes:
        list(lanes.map(run_one, users))
    elapsed = time.perf_counter() - started
    usage = {k: v - usage_before[k] for k, v in _usage(pool).items()}
    n = len(users)
    row = {
        "design": name, "users": n, "seconds": round(elapsed, 2),
        "users_per_hour": round(n / elapsed * 3600) if elapsed else None,
        "tmdb_calls_per_user": round((sum(fake.calls.values()) - tmdb_before) / n, 2),
        "tmdb_detail_calls_per_user": round((fake.count("details") - details_before) / n, 2),
        "llm_calls_per_user": round(usage["calls"] / n, 2),
        "tokens_per_user": round((usage["tokens_in"] + usage["tokens_out"]) / n),
        "usd_per_user_pass": usage["cost"] / n,
    }
    log.info("%s: %s", name, row)
    return row


def run(args: argparse.Namespace) -> dict:
    args.concurrency = args.concurrency or Settings(_env_file=None).cine_worker_concurrency
    with bench_database(args.database_url) as url, AnthropicStub() as stub:
        stub.default = slow_scoring(args.llm_latency)
        pool = open_pool(url, max_size=2 * args.concurrency + 4, name="bench-scout")
        try:
            users = create_users(pool, args.users, seed=args.seed)
            serial_users = create_users(pool, args.serial_users, seed=args.seed + 1)
            settings = Settings(_env_file=None, database_url=url, anthropic_api_key="bench",
                                anthropic_base_url=stub.base_url, llm_top_k=args.top_k)
            local = LocalMatcher()
            fake = FakeTMDB()
            store = MovieStore(pool, fake.client(usage=UsageRecorder(pool)), ttl=timedelta(days=7))
            ctx = pipeline.ScoutContext(pool=pool, settings=settings, store=store, local=local,
                                     matcher=build_matcher(settings, pool, local=local))
            pipeline.scout_user(ctx, users[0])  # warm-up: imports, feature space, genre list
            rows = [
                _measure(f"CineAI scout, first pass, concurrency {args.concurrency}", pool, fake, users[1:],
                         args.concurrency, lambda u: pipeline.scout_user(ctx, u)),
                _measure("CineAI scout, nothing changed", pool, fake, users[1:], args.concurrency,
                         lambda u: pipeline.scout_user(ctx, u)),
            ]
            serial = _measure("CineAI scout, first pass, concurrency 1", pool, fake, serial_users, 1,
                              lambda u: pipeline.scout_user(ctx, u))
            seed_fake = FakeTMDB(fake.catalog)
            seed_design = SeedScout(pool, seed_fake, ClaudeClient.from_settings(settings, pool))
            baseline_users = users[1:1 + args.baseline_users]
            rows.append(_measure("seed: 1 LLM call per film, no cache", pool, seed_fake, baseline_users,
                                 args.concurrency, seed_design.scout))
            claims = claim_costs(pool, args.claim_sizes, batch=2 * args.concurrency)
        finally:
            pool.close()
    rows.insert(1, serial)
    passes_per_day = 24 / settings.scout_interval_hours
    for row in rows:
        row["usd_per_1000_users_day"] = round(row["usd_per_user_pass"] * 1000 * passes_per_day, 2)
        row["usd_per_user_pass"] = round(row["usd_per_user_pass"], 6)
    new, baseline = rows[0], rows[-1]
    return {
        "benchmark": "scout", "machine": machine(), "model": settings.cine_claude_model,
        "price_per_mtok": {"input": price_for(settings.cine_claude_model).input,
                           "output": price_for(settings.cine_claude_model).output},
        "llm_latency_s": args.llm_latency, "concurrency": args.concurrency, "top_k": args.top_k,
        "passes_per_day": passes_per_day, "rows": rows, "claim_cost": claims,
        "speedup_vs_concurrency_1": round(new["users_per_hour"] / serial["users_per_hour"], 2),
        "ratios_vs_seed": {
            "users_per_hour": round(new["users_per_hour"] / baseline["users_per_hour"], 1),
            "llm_calls_per_user": round(new["llm_calls_per_user"] / baseline["llm_calls_per_user"], 2),
            "usd_per_user": round(new["usd_per_user_pass"] / baseline["usd_per_user_pass"], 2)
            if baseline["usd_per_user_pass"] else None,
        },
    }


CLAIM_SAMPLES = 15
# The claim as it was (commit 6a0c574): ordered with a user_id tie-breaker, so every claim sorted all due users.
PREVIOUS_CLAIM_SQL = load_sql(scout_state.__name__, "claim_due").replace("order by last_scout_at nulls first",
                                                                   "order by last_scout_at nulls first, user_id")


def claim_costs(pool, sizes: Sequence[int], *, batch: int) -> list[dict]:
    """Milliseconds per claim of `batch` due users at each total number of users: as before (the missing-rows
    insert ran inside every claim) and now (once per pass; the claim alone). Users are added in bulk (a rating
    each, triggers off) to the benchmark's own few."""
    rows = []
    with pool.connection() as conn:
        conn.autocommit = True
        film = conn.execute("select id from movies order by popularity desc limit 1").fetchone()["id"]
        for size in sorted(sizes):
            have = conn.execute("select count(*) as n from auth.users").fetchone()["n"]
            if size > have:
                conn.execute("set session_replication_role = replica")  # bulk load: skip the rating triggers
                conn.execute("with u as (insert into auth.users (email) select 'claim' || g || '@example.com'"
                             " from generate_series(%s::int, %s::int) g returning id)"
                             " insert into ratings (user_id, movie_id, rating) select id, %s, 4 from u",
                             (have, size - 1, film))
                conn.execute("set session_replication_role = origin")
                conn.execute("analyze")
            conn.execute("update scout_state set last_scout_at = null")
            conn.autocommit = False
            rows.append({"users": size, "before_ms": _claim_ms(conn, batch, ensure_each=True),
                         "after_ms": _claim_ms(conn, batch, ensure_each=False)})
            conn.autocommit = True
            log.info("claim cost: %s", rows[-1])
        conn.autocommit = False
    return rows


def _claim_ms(conn, batch: int, *, ensure_each: bool) -> float:
    """Median milliseconds of one claim (each in its own transaction); with `ensure_each`, the claim as it was:
    the missing scout_state rows inserted first, then PREVIOUS_CLAIM_SQL."""
    with conn.transaction():
        due_before = scout_state.start_pass(conn, seconds_ago=0)  # the bulk-added users get their rows
    samples = []
    for _ in range(CLAIM_SAMPLES):
        started = time.perf_counter()
        with conn.transaction():
            if ensure_each:
                scout_state.ensure_rows(conn)
                claimed = conn.execute(PREVIOUS_CLAIM_SQL, {"due_before": due_before, "limit": batch}).fetchall()
            else:
                claimed = scout_state.claim_due_users(conn, due_before=due_before, limit=batch)
        samples.append((time.perf_counter() - started) * 1000)
        assert claimed, "ran out of due users"
    return round(statistics.median(samples), 2)


class SeedScout:
    """The seed's scout (§4.3): top 10 trending films, fetched per user without a shared cache, and one
    LLM call per film. Uses the same TMDB client code and the same Claude prompt as CineAI."""

    def __init__(self, pool, fake: FakeTMDB, llm: ClaudeClient) -> None:
        from cine_core.recommend.claude_scorer import ClaudeMatcher

        self.pool = pool
        self.source = fake.client()
        self.matcher = ClaudeMatcher(llm)

    def scout(self, user_id: str) -> None:
        with self.pool.connection() as conn:
            profile, rated = load_profile(conn, user_id), load_rated(conn, user_id)
        for item in self.source.trending("day", limit=SEED_TRENDING_FILMS):
            film = self.source.details(item.id)
            self.matcher.match(profile=profile, rated=rated, candidates=[film])


def markdown(result: dict) -> str:
    """The table for bench/RESULTS.md."""
    lines = [
        f"Scout: fake LLM answering in {result['llm_latency_s']} s (Messages API stub through the SDK), "
        f"concurrency {result['concurrency']}, top K {result['top_k']}, model {result['model']} "
        f"(${result['price_per_mtok']['input']}/${result['price_per_mtok']['output']} per Mtok in/out), "
        f"{result['passes_per_day']:.0f} passes/day; {result['machine']}.",
        "",
        "| design | users | users/hour | TMDB calls/user | TMDB detail calls/user | LLM calls/user | tokens/user "
        "| $/user/pass | $/1,000 users/day |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['design']} | {r['users']} | {r['users_per_hour']:,} | {r['tmdb_calls_per_user']} "
            f"| {r['tmdb_detail_calls_per_user']} | {r['llm_calls_per_user']} | {r['tokens_per_user']:,} "
            f"| {r['usd_per_user_pass']:.5f} | {r['usd_per_1000_users_day']:.2f} |")
    lines += ["", f"Default concurrency {result['concurrency']} vs 1: {result['speedup_vs_concurrency_1']}× users/hour.",
              "", "Claim cost (one claim of a batch of due users; median ms):", "",
              "| users | before: missing-rows insert + sorting claim, every claim | now: insert once per pass, indexed claim |",
              "|---:|---:|---:|"]
    lines += [f"| {c['users']:,} | {c['before_ms']:.2f} | {c['after_ms']:.2f} |" for c in result["claim_cost"]]
    ratios = result["ratios_vs_seed"]
    lines += ["", f"CineAI vs the seed's design (first pass): {ratios['users_per_hour']}× users/hour, "
                  f"{ratios['llm_calls_per_user']}× LLM calls per user, {ratios['usd_per_user']}× dollars per user. "
                  "$/1,000 users/day assumes every pass re-analyses (upper bound); a pass where nothing "
                  "changed makes no LLM call (second row)."]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scout", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--baseline-users", type=int, default=8, help="users run through the seed's design")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="users scouted at once (default: the worker's, Settings.cine_worker_concurrency)")
    parser.add_argument("--serial-users", type=int, default=12, help="users scouted at concurrency 1")
    parser.add_argument("--claim-sizes", type=lambda v: [int(x) for x in v.split(",")],
                        default=[1000, 10000, 100000], help="user counts for the claim cost")
    parser.add_argument("--llm-latency", type=float, default=1.0, help="seconds the fake LLM takes per call")
    parser.add_argument("--top-k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    add_database_and_output_args(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    return run_and_print(run, markdown, parse_args(argv))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    main()
