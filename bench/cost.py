"""Claude and TMDB cost per 1,000 users per day, over simulated days of real activity (issue 15).

Runs the real scout (cine_core.recommend.pipeline) for N users over D simulated days, once per design, each
design in its own fresh database with the same users, the same activity and the same trending lists:

- `cineai`: verdicts paid once (stored per user, film and taste fingerprint; only new films go to Claude), and
  scheduled passes through the Message Batches API at half price: the pass queues one request per person,
  the batch is submitted at its end, its results are applied and the queued refreshes rewrite the picks
  (cine_core/recommend/verdict_batches.py), as the worker does;
- `previous`: the same code with `reuse_verdicts=False` (every call re-buys all top-K verdicts),
  `defer_quick_calls=False` (a rating's quick refresh calls Claude at once) and synchronous calls (no batches);
  it shares no verdict between people, so its Claude cost per person is the same in any population and at most
  PREVIOUS_USERS people are simulated (its TMDB column is that sample's: a smaller population shares less);
- `seed`: one call per film for the top 10 trending films on every pass (bench/cost_seed.py).

Each simulated day: the trending list moves on (NEW_TRENDING_PER_DAY new films in a 60-film list; the day's
cached trending lists expire), then 20% of users rate a film, 5% chat (one insight: a liked genre), 2% import
(IMPORT_RATINGS ratings at once); a rating or a chat message runs the quick refresh a queue job runs, an import
a full one; then the scheduled scout runs for everyone. One scheduled pass stands for a day's twelve: within a
day nothing else changes, and an unchanged pass makes no call (tests/cine_core/test_scout.py). Day 0 (every
user's first scout) is not counted.

Every design runs the worker's scout context (pipeline.build_scout_context: the CatalogRanker over the whole
catalog, its pre-rankers and matcher) with the fake TMDB as the film source. Each design reports the CPU seconds
it used: its own process and its Postgres server's.

Claude is the Messages API stub through the real SDK and ClaudeClient; tokens are counted from the real
request and reply (tests/anthropic_stub.py: MEASURED), with reasons of realistic length; dollars are the
api_usage estimates at the default model's prices (cine_core/llm/prices.py). TMDB is the fake behind
httpx.MockTransport; every call is counted.

    python -m bench.cost [--users 100] [--days 7] [--designs cineai,previous,seed] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import random
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import psutil
from threadpoolctl import threadpool_limits

from bench.bench_db import GENRES, POPULAR_POOL, bench_database, create_users, machine
from bench.cost_fake import DailyTMDB
from bench.cost_seed import SEED_PASSES_PER_DAY, SEED_TMDB_CALLS_PER_PASS, SEED_USERS, seed_pass
from cine_core.config import Settings
from cine_core.db import open_pool, transaction
from cine_core.domain.insights import ChatInsights
from cine_core.films.cache import MovieStore
from cine_core.films.catalog import catalog_movies
from cine_core.llm.client import ClaudeClient
from cine_core.metering.usage import UsageRecorder
from cine_core.recommend import pipeline
from cine_core.recommend.claude_scorer import REASON_FROM, ClaudeMatcher
from tests.anthropic_stub import MEASURED, AnthropicStub, Reply, tool_use

log = logging.getLogger(__name__)

RATE_SHARE, CHAT_SHARE, IMPORT_SHARE = 0.20, 0.05, 0.02  # of users, per day
IMPORT_RATINGS = 20
DAILY_RATINGS = (1.0, 2.0, 2.5, 3.0, 3.5, 3.5, 4.0, 4.0, 4.0, 4.5, 4.5, 5.0)  # what people give what they watched
DESIGNS = ("cineai", "previous", "seed")
PREVIOUS_USERS = 200  # people simulated for the previous design (see the module docstring)
CONCURRENCY = 4  # scout lanes (the stub answers at once; the database and the scorer share the cores)
USAGE_SQL = """
select count(*) as calls, coalesce(sum(tokens_in + cache_read_tokens + cache_write_tokens), 0) as tokens_in,
       coalesce(sum(tokens_out), 0) as tokens_out, coalesce(sum(estimated_cost_usd), 0)::float8 as cost
  from api_usage where service = 'anthropic'
"""
_CANDIDATES = re.compile(r"<candidates>(.*)</candidates>", re.DOTALL)
_RATED = re.compile(r"<rated_films>(.*?)</rated_films>", re.DOTALL)


def realistic_verdicts(request: dict, *, every_reason: bool = False) -> Reply:
    """A verdict per candidate; a reason as long as Claude writes (~120 characters, citing a rated film) for the
    films the prompt asks one for (confidence REASON_FROM or more), or for every film (`every_reason`: the seed)."""
    text = " ".join(m.get("content", "") for m in request.get("messages", []) if isinstance(m.get("content"), str))
    text += " ".join(block.get("text", "") for block in request.get("system") or [] if isinstance(block, dict))
    rated = json.loads(found.group(1)) if (found := _RATED.search(text)) else []
    loved = next((r for r in rated if r.get("rating", 0) >= 4), rated[0] if rated else {"title": "your favourites",
                                                                                        "rating": 5})
    films = json.loads(found.group(1)) if (found := _CANDIDATES.search(text)) else []
    verdicts = []
    for film in films:
        confidence = round(0.4 + (film["movie_id"] * 7919 % 55) / 100, 2)
        reason = (f"Like {loved['title']}, which you rated {loved['rating']}★ — the same "
                  f"{(film.get('genres') or ['drama'])[0].lower()} pull, with the scale and tone you rate highest.")
        verdicts.append({"movie_id": film["movie_id"], "confidence": confidence,
                         "reason": reason[:200] if every_reason or confidence >= REASON_FROM else ""})
    return tool_use({"matches": verdicts}, usage=MEASURED)(request)


def _usage(pool) -> dict[str, float]:
    with pool.connection() as conn:
        return dict(conn.execute(USAGE_SQL).fetchone())


def _day_plan(rng: random.Random, users: int, films: dict[str, list[int]]) -> list[tuple[int, str, object]]:
    """(user number, what, payload) for one simulated day; drawn once, so every design gets the same days."""
    plan = []
    for user in range(users):
        draw = rng.random()
        if draw < RATE_SHARE:
            plan.append((user, "rate", [(rng.choice(films["*"]), rng.choice(DAILY_RATINGS))]))
        elif draw < RATE_SHARE + CHAT_SHARE:
            plan.append((user, "chat", rng.choice(GENRES)))
        elif draw < RATE_SHARE + CHAT_SHARE + IMPORT_SHARE:
            plan.append((user, "import", [(m, rng.choice(DAILY_RATINGS)) for m in rng.sample(films["*"], IMPORT_RATINGS)]))
    return plan


def _apply(pool, user: str, what: str, payload) -> None:
    with transaction(pool) as conn:
        if what == "chat":
            insight = ChatInsights(conversation_type="general_preference", genres_liked=[payload.lower()],
                                   significance=0.6, summary=f"likes {payload.lower()}")
            conn.execute("insert into movie_conversations (user_id, conversation_type, what_you_said, ai_learned)"
                         " values (%s, 'general_preference', %s, %s)",
                         (user, f"I'm in the mood for {payload.lower()}", json.dumps(insight.model_dump(mode="json"))))
            return
        with conn.cursor() as cur:
            cur.executemany("insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)"
                            " on conflict (user_id, movie_id) do update set rating = excluded.rating, rated_at = now()",
                            [(user, movie_id, rating) for movie_id, rating in payload])


def day_plans(args: argparse.Namespace) -> list[list[tuple[int, str, object]]]:
    """Every simulated day's activity, drawn once from the seed over the popular films users rate."""
    popular = sorted((m for m in catalog_movies() if m.vote_count > 50), key=lambda m: (-m.popularity, m.id))
    films = {"*": [m.id for m in popular[:POPULAR_POOL]]}
    rng = random.Random(args.seed)
    return [_day_plan(rng, args.users, films) for _ in range(args.days)]


def _settle_batches(ctx: pipeline.ScoutContext, pool, lanes: ThreadPoolExecutor) -> None:
    """What the worker does after a pass: submit its batch, apply the results (the stub ends batches at once)
    and run the refreshes that rewrite the picks with them."""
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")
    if ctx.batches is None:
        return
    ctx.batches.submit_pending()
    ctx.batches.poll()
    with pool.connection() as conn:
        due = [r["user_id"] for r in conn.execute("select user_id::text as user_id from recommendation_refresh_queue"
                                                   " where status = 'pending'").fetchall()]
    list(lanes.map(lambda u: pipeline.scout_user(ctx, u, quick=True), due))
    with transaction(pool) as conn:
        conn.execute("delete from recommendation_refresh_queue")


def scout_context(design: str, settings: Settings, pool, fake: DailyTMDB) -> pipeline.ScoutContext:
    """The worker's scout context (pipeline.build_scout_context: its matchers, batches and the CatalogRanker)
    over the fake TMDB; `previous` turns off what the previous design lacked (verdict reuse, deferred quick
    calls, batches). No Wikipedia enricher: it is a network edge the fake does not stand in for."""
    worker = pipeline.build_scout_context(settings, pool)
    store = MovieStore(pool, fake.client(usage=UsageRecorder(pool)), ttl=timedelta(days=settings.tmdb_cache_ttl_days))
    fields = {f: getattr(worker, f) for f in worker.__dataclass_fields__}
    if design == "cineai":
        return pipeline.ScoutContext(**{**fields, "store": store})
    return pipeline.ScoutContext(**{**fields, "store": store, "reuse_verdicts": False, "defer_quick_calls": False,
                                    "batches": None})


def simulate(design: str, args: argparse.Namespace, plans: list) -> dict:
    """One design over the simulated days in a fresh database; returns its figures. BLAS runs on one thread,
    as in the worker (pipeline.build_scout_context): the lanes are the parallelism."""
    with threadpool_limits(1, user_api="blas"):
        return _simulate(design, args, plans)


def postgres_cpu(pool) -> float:
    """CPU seconds of the bench's own Postgres server: the postmaster, its live backends and those that ended."""
    with pool.connection() as conn:
        data = conn.execute("select current_setting('data_directory') as d").fetchone()["d"]
    server = psutil.Process(int((Path(data) / "postmaster.pid").read_text().split()[0]))
    processes = [server, *server.children(recursive=True)]
    own = sum(p.cpu_times().user + p.cpu_times().system for p in processes)
    return own + server.cpu_times().children_user + server.cpu_times().children_system


def _simulate(design: str, args: argparse.Namespace, plans: list) -> dict:
    cpu_started = time.process_time()
    with bench_database() as url, AnthropicStub() as stub:
        stub.default = (lambda r: realistic_verdicts(r, every_reason=True)) if design == "seed" else realistic_verdicts
        pool = open_pool(url, max_size=2 * CONCURRENCY + 4, name=f"bench-cost-{design}")
        try:
            # The seed's design shares nothing between people (no cache, no stored verdicts), the previous one no
            # verdict: their Claude cost per person is the same in any population, so a sample measures it.
            sampled = min(args.users, {"seed": SEED_USERS, "previous": PREVIOUS_USERS}.get(design, args.users))
            users = create_users(pool, sampled, seed=args.seed)
            settings = Settings(_env_file=None, database_url=url, anthropic_api_key="bench",
                                anthropic_base_url=stub.base_url)
            fake = DailyTMDB()
            ctx = scout_context(design, settings, pool, fake)
            seed = ClaudeMatcher(ClaudeClient.from_settings(settings, pool), seed=args.seed) if design == "seed" else None
            with ThreadPoolExecutor(CONCURRENCY) as lanes:
                if design != "seed":
                    list(lanes.map(lambda u: pipeline.scout_user(ctx, u), users))  # day 0: not counted
                    _settle_batches(ctx, pool, lanes)
                usage_before, tmdb_before = _usage(pool), sum(fake.calls.values())
                for day, plan in enumerate(plans, start=1):
                    fake.day = day
                    with transaction(pool) as conn:  # a new day: yesterday's trending lists are stale
                        conn.execute("delete from source_cache where cache_key like 'trending:%%'")
                    plan = [job for job in plan if job[0] < sampled]  # a sampled design: its people only
                    for number, what, payload in plan:
                        _apply(pool, users[number], what, payload)
                    if design == "seed":
                        seed_pass(ctx, seed, users, lanes)
                        continue
                    list(lanes.map(lambda job: pipeline.scout_user(ctx, users[job[0]], quick=job[1] != "import"), plan))
                    list(lanes.map(lambda u: pipeline.scout_user(ctx, u), users))
                    _settle_batches(ctx, pool, lanes)
            usage = {k: v - usage_before[k] for k, v in _usage(pool).items()}
            tmdb_calls = sum(fake.calls.values()) - tmdb_before
            cpu = {"python": round(time.process_time() - cpu_started, 1), "postgres": round(postgres_cpu(pool), 1)}
            memo = ctx.ranker.memo if ctx.ranker is not None else None
        finally:
            pool.close()
    if design == "seed":  # one simulated pass stands for the day's SEED_PASSES_PER_DAY, each paying again
        usage = {k: v * SEED_PASSES_PER_DAY for k, v in usage.items()}
        tmdb_calls = SEED_TMDB_CALLS_PER_PASS * SEED_PASSES_PER_DAY * sampled * args.days
    per_user_day = sampled * args.days
    figures = {
        "usd_per_1000_users_per_day": round(usage["cost"] / per_user_day * 1000, 3),
        "llm_calls_per_user_per_day": round(usage["calls"] / per_user_day, 3),
        "input_tokens_per_user_per_day": round(usage["tokens_in"] / per_user_day),
        "output_tokens_per_user_per_day": round(usage["tokens_out"] / per_user_day),
        "tmdb_calls_per_user_per_day": round(tmdb_calls / per_user_day, 2),
        "people": sampled, "cpu_seconds": cpu,
        "ranker_memo": {"hits": memo.hits, "misses": memo.misses} if memo is not None else None,
    }
    log.info("%s: %s", design, figures)
    return figures


def run(args: argparse.Namespace) -> dict:
    """Both designs on the same days, side by side: one process and one throw-away database each (a shared
    database would share the film cache and the usage rows)."""
    started = time.perf_counter()
    plans = day_plans(args)
    designs = getattr(args, "designs", DESIGNS)
    with ProcessPoolExecutor(len(designs), mp_context=multiprocessing.get_context("spawn")) as runs:
        futures = {design: runs.submit(simulate, design, args, plans) for design in designs}
        designs = {design: future.result() for design, future in futures.items()}
    return {"users": args.users, "days": args.days, "designs": designs,
            "model": Settings(_env_file=None).cine_claude_model, "machine": machine(),
            "seconds": round(time.perf_counter() - started, 1)}


def markdown(result: dict) -> str:
    header = ("| design | people | $ / 1,000 users / day | LLM calls / user / day | input tokens / user / day"
              " | output tokens / user / day | TMDB calls / user / day | CPU s (Python + Postgres) |")
    rows = [header, "|---|---|---|---|---|---|---|---|"]
    for name, d in result["designs"].items():
        cpu = d["cpu_seconds"]
        rows.append(f"| {name} | {d['people']:,} | {d['usd_per_1000_users_per_day']:.2f} | "
                    f"{d['llm_calls_per_user_per_day']:.2f} | {d['input_tokens_per_user_per_day']:,} | "
                    f"{d['output_tokens_per_user_per_day']:,} | {d['tmdb_calls_per_user_per_day']:.2f} | "
                    f"{cpu['python']:,.0f} + {cpu['postgres']:,.0f} |")
    return (f"{result['users']} users over {result['days']} simulated days, model {result['model']}, "
            f"{result['machine']}, {result['seconds']} s. The seed's and the previous designs are simulated for a"
            " sample of the people (nothing of theirs that Claude is paid for is shared between people).\n\n"
            + "\n".join(rows))


def _designs(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(d.strip() for d in text.split(",") if d.strip()))
    if not chosen or set(chosen) - set(DESIGNS):
        raise argparse.ArgumentTypeError(f"designs are {', '.join(DESIGNS)}")
    return chosen


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--designs", type=_designs, default=DESIGNS,
                        help="comma-separated, of " + ",".join(DESIGNS) + " (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of the table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = run(args)
    if args.json:
        print(json.dumps({k: result[k] for k in ("users", "days", "seconds", "designs")}))
    else:
        print(markdown(result))
    return result


if __name__ == "__main__":
    main()
