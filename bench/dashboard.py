"""Dashboard speed: stored picks read in 3 indexed queries vs scoring candidates on page load.

Seeds N users × M picks (plus ratings and a taste profile each) with set-based SQL, then measures
- the dashboard's DB time (`dashboard.load_dashboard` in a `user_transaction`, as the page does),
- the whole script run of app.py in AppTest (navigation, pool, queries, cards, taste panel),
- the baseline in the same database: the seed's "live" path, which on every page load loaded the
  profile and ratings, fetched popular unrated candidates and scored them with `LocalMatcher`.

`python -m bench.dashboard [--users 10000 --picks 50]`; `main(argv) -> dict`, `markdown(result) -> str`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from cine_core.app import dashboard
from cine_core.app.auth import AppUser
from cine_core.config import PROJECT_ROOT, get_settings
from cine_core.db import migrate, open_pool, prepare_runtime_dir, transaction, user_transaction
from cine_core.films.catalog_loader import load_catalog_into_db
from cine_core.films.rows import row_to_movie
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste import store as taste_store

log = logging.getLogger(__name__)

BENCH_DB = "cine_bench_dashboard"
FILM_WINDOW = 2000  # picks and ratings come from the 2,000 most popular films
RATINGS_PER_USER = 20
LIVE_CANDIDATES = 300  # the live path scored this many popular unrated films per page load


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50": round(_percentile(ms, 50), 2), "p95": round(_percentile(ms, 95), 2),
            "p99": round(_percentile(ms, 99), 2), "mean": round(statistics.fmean(ms), 2)}


def _server_url(database_url: str | None) -> tuple[str, object | None]:
    """An admin URL: the given one, or a private embedded pgserver (deleted afterwards)."""
    if database_url:
        return database_url, None
    prepare_runtime_dir()
    import pgserver

    server = pgserver.get_server(Path(tempfile.mkdtemp(prefix="cine-bench-")) / "pgdata", cleanup_mode="delete")
    return server.get_uri(), server


def _fresh_database(server_url: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(BENCH_DB)))
    info = psycopg.conninfo.conninfo_to_dict(server_url)
    info["dbname"] = BENCH_DB
    return psycopg.conninfo.make_conninfo(**info)


def seed(pool, *, users: int, picks: int) -> dict[str, float]:
    """Users, picks, ratings (trigger off: no 200k queue notifications) and one shared profile, set-based."""
    started = time.perf_counter()
    with transaction(pool) as conn:
        conn.execute("create temp table bench_films on commit drop as select row_number() over"
                     " (order by popularity desc, id) as rn, id from public.movies order by popularity desc, id"
                     " limit %s", (FILM_WINDOW,))
        conn.execute("insert into auth.users (id, email) select gen_random_uuid(), 'bench' || g || '@example.com'"
                     " from generate_series(1, %s) g", (users,))
        conn.execute("create temp table bench_users on commit drop as select id, row_number() over (order by id)"
                     " as n from auth.users where email like 'bench%'")
        # Each a household profile, as a person of a localhost household is: the sidebar's profile chooser sends
        # a session whose user is no profile back to the first one (whose dashboard is the starter films).
        conn.execute("insert into public.household_profiles (user_id, name) select id, 'Bench ' || n from bench_users")
        conn.execute(
            """insert into public.recommendations
                 (user_id, movie_id, score, reason, discovery_source, confidence, matcher, generated_at)
               select u.id, f.id, 1.0 - k / 100.0, 'Because you rated ' || f.id || ' highly: similar mood and pace',
                      (array['trending', 'similar_to_rated', 'mood_match'])[1 + k %% 3],
                      round((0.98 - k * 0.9 / %(picks)s)::numeric, 2), 'local', now() - interval '12 minutes'
                 from bench_users u cross join generate_series(0, %(picks)s - 1) k
                 join bench_films f on f.rn = 1 + ((u.n * 37 + k) %% %(window)s)""",
            {"picks": picks, "window": FILM_WINDOW},
        )
        conn.execute("alter table public.ratings disable trigger ratings_enqueue_refresh")
        conn.execute(
            """insert into public.ratings (user_id, movie_id, rating, rated_at, source)
               select u.id, f.id, 0.5 * (1 + (u.n + k * 7) %% 10), now() - make_interval(days => k * 9), 'app'
                 from bench_users u cross join generate_series(0, %(ratings)s - 1) k
                 join bench_films f on f.rn = 1 + ((u.n * 37 + %(picks)s + k) %% %(window)s)""",
            {"ratings": RATINGS_PER_USER, "picks": picks, "window": FILM_WINDOW},
        )
        conn.execute("alter table public.ratings enable trigger ratings_enqueue_refresh")
        first = conn.execute("select id::text as id from bench_users order by n limit 1").fetchone()["id"]
        document = taste_store.profile_to_json(taste_store.refresh_profile(conn, first))
        conn.execute("insert into public.taste_profile (user_id, preferences, version) select id, %s, 1"
                     " from bench_users on conflict (user_id) do nothing", (Jsonb(document),))
    with psycopg.connect(pool.conninfo, autocommit=True) as conn:
        conn.execute("vacuum analyze")
    seconds = time.perf_counter() - started
    log.info("seeded %d users x %d picks in %.1fs", users, picks, seconds)
    return {"seconds": round(seconds, 1), "recommendations": users * picks, "ratings": users * RATINGS_PER_USER}


def _sample_users(pool, count: int, seed_value: int) -> list[str]:
    with transaction(pool) as conn:
        ids = [r["id"] for r in conn.execute("select id::text as id from auth.users where email like 'bench%'"
                                            " order by id").fetchall()]
    return random.Random(seed_value).sample(ids, min(count, len(ids)))


def _time_each(users: Sequence[str], fn: Callable[[str], object], warmup: int = 5) -> list[float]:
    for user_id in users[:warmup]:
        fn(user_id)
    timings = []
    for user_id in users:
        started = time.perf_counter()
        fn(user_id)
        timings.append(time.perf_counter() - started)
    return timings


def dashboard_db_timings(pool, users: Sequence[str]) -> list[float]:
    def load(user_id: str) -> None:
        with user_transaction(pool, user_id) as conn:
            board = dashboard.load_dashboard(conn, user_id)
        assert len(board.picks) == dashboard.DASHBOARD_PICKS, "every seeded user has picks"

    return _time_each(users, load)


def live_path_timings(pool, users: Sequence[str]) -> list[float]:
    """The seed's page-load path: profile + ratings + candidates from the DB, then LocalMatcher scoring."""
    matcher = LocalMatcher()  # built once, as a cached resource would be

    def score(user_id: str) -> None:
        with user_transaction(pool, user_id) as conn:
            profile = taste_store.load_profile(conn, user_id)
            rated = taste_store.load_rated(conn, user_id)
            rows = conn.execute(
                "select m.* from public.movies m where not exists (select 1 from public.ratings r"
                " where r.user_id = %s and r.movie_id = m.id) order by m.popularity desc limit %s",
                (user_id, LIVE_CANDIDATES),
            ).fetchall()
        matches = matcher.match(profile=profile, rated=rated, candidates=[row_to_movie(r) for r in rows])
        assert matches[: dashboard.DASHBOARD_PICKS]

    return _time_each(users, score, warmup=2)


def app_script_timings(url: str, users: Sequence[str]) -> list[float]:
    """Whole app.py runs in AppTest, a fresh session per user so every run goes through app.py
    (AppTest reruns of one session may run the page file alone); the first run, with imports, is a warm-up."""
    from streamlit.testing.v1 import AppTest

    from ui.context import close_pools

    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    timings = []
    components = None
    try:
        for index, user_id in enumerate([users[0], *users]):
            app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
            # A fresh AppTest scans every installed package for components (~0.5 s of harness setup, not
            # app work); share the warm-up's registry so only the script run is timed.
            if components is not None:
                app._bidi_component_manager = components
            app.session_state["cine_user"] = AppUser(user_id, None, is_local=True)  # a household profile: no login
            started = time.perf_counter()
            app.run()
            if index:
                timings.append(time.perf_counter() - started)
            components = app._bidi_component_manager
            if app.exception:
                raise RuntimeError(f"app.py raised: {app.exception[0].value}")
            if len([b for b in app.button if (b.key or "").startswith("pick-up-")]) != dashboard.DASHBOARD_PICKS:
                raise RuntimeError("the dashboard did not draw 12 picks")
    finally:
        close_pools()
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        get_settings.cache_clear()
    return timings


def run(*, users: int, picks: int, db_samples: int, app_runs: int, live_samples: int, seed_value: int = 7,
        database_url: str | None = None) -> dict:
    started = time.perf_counter()
    server_url, server = _server_url(database_url)
    try:
        url = _fresh_database(server_url)
        migrate(url)
        pool = open_pool(url, max_size=4, name="bench")
        try:
            load_catalog_into_db(pool)
            seeded = seed(pool, users=users, picks=picks)
            sample = _sample_users(pool, max(db_samples, app_runs, live_samples), seed_value)
            dashboard = _summary_ms(dashboard_db_timings(pool, sample[:db_samples]))
            live = _summary_ms(live_path_timings(pool, sample[:live_samples]))
        finally:
            pool.close()
        app = _summary_ms(app_script_timings(url, sample[:app_runs]))
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(BENCH_DB)))
    finally:
        if server is not None:
            server.cleanup()
    return {
        "users": users, "picks_per_user": picks, "seed": seeded, "dashboard_db_ms": dashboard,
        "app_script_ms": app, "live_path_ms": live, "live_candidates": LIVE_CANDIDATES,
        "speedup_p50": round(live["p50"] / dashboard["p50"], 1), "speedup_p95": round(live["p95"] / dashboard["p95"], 1),
        "seconds": round(time.perf_counter() - started, 1), "cpus": os.cpu_count(),
    }


def markdown(result: dict) -> str:
    """The result as a markdown table for bench/RESULTS.md."""
    db, app, live = result["dashboard_db_ms"], result["app_script_ms"], result["live_path_ms"]
    lines = [
        f"### Dashboard — {result['users']:,} users × {result['picks_per_user']} picks "
        f"({result['seed']['recommendations']:,} picks, {result['seed']['ratings']:,} ratings, seeded in "
        f"{result['seed']['seconds']} s; {result['cpus']} CPUs; whole run {result['seconds']} s)",
        "",
        "| path | samples | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        f"| dashboard DB reads (state + 12 picks with films + profile, 3 indexed queries) | {db['n']} | "
        f"{db['p50']} | {db['p95']} | {db['p99']} |",
        f"| whole app.py script run (AppTest: navigation, queries, 12 cards, taste panel) | {app['n']} | "
        f"{app['p50']} | {app['p95']} | — |",
        f"| baseline: live scoring on page load (LocalMatcher over {result['live_candidates']} candidates) | "
        f"{live['n']} | {live['p50']} | {live['p95']} | {live['p99']} |",
        "",
        f"Stored picks are **{result['speedup_p50']}×** faster than live scoring at p50 "
        f"({result['speedup_p95']}× at p95), measured on the same database in the same run.",
    ]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--picks", type=int, default=50)
    parser.add_argument("--db-samples", type=int, default=500, help="dashboard loads timed")
    parser.add_argument("--app-runs", type=int, default=40, help="AppTest script runs timed")
    parser.add_argument("--live-samples", type=int, default=40, help="live-scoring page loads timed")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="admin URL of a Postgres server (default: a private embedded one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_args(argv)
    result = run(users=args.users, picks=args.picks, db_samples=args.db_samples, app_runs=args.app_runs,
                 live_samples=args.live_samples, database_url=args.database_url)
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # AppTest outside a script run logs this once per session: harmless noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    main()
