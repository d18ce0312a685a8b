"""Benchmark fixtures for the worker benches: an embedded Postgres with the schema and catalog, and
synthetic users who rate like people do (a couple of favourite genres, some misses)."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from psycopg_pool import ConnectionPool

from cine_core.db import embedded_database_url, migrate, open_pool, transaction

log = logging.getLogger(__name__)

GENRES = ("Action", "Adventure", "Animation", "Comedy", "Crime", "Drama", "Fantasy", "Horror", "Mystery",
          "Romance", "Science Fiction", "Thriller")
POPULAR_POOL = 1500  # users rate among the most popular films, as new users do


@contextlib.contextmanager
def bench_database(database_url: str | None = None) -> Iterator[str]:
    """A migrated database with the catalog: `database_url` if given, else a throw-away embedded server."""
    from cine_core.films.catalog_loader import load_catalog_into_db

    tmp = None
    if database_url is None:
        tmp = Path(tempfile.mkdtemp(prefix="cine-bench-"))
        database_url = embedded_database_url(tmp, cleanup_mode="delete")
    try:
        migrate(database_url)
        pool = open_pool(database_url, max_size=2, name="bench-setup")
        try:
            load_catalog_into_db(pool)
        finally:
            pool.close()
        yield database_url
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def popular_by_genre(pool: ConnectionPool) -> dict[str, list[int]]:
    with pool.connection() as conn:
        rows = conn.execute(
            "select id, genres from movies where vote_count > 50 order by popularity desc limit %s",
            (POPULAR_POOL,)).fetchall()
    by_genre: dict[str, list[int]] = {g: [] for g in GENRES}
    for row in rows:
        for genre in row["genres"]:
            if genre in by_genre:
                by_genre[genre].append(row["id"])
    by_genre["*"] = [row["id"] for row in rows]
    return by_genre


def create_users(pool: ConnectionPool, count: int, *, ratings_per_user: int = 12, seed: int = 7) -> list[str]:
    """`count` users, each with two favourite genres rated high and a few other films rated low.

    The ratings trigger enqueues refresh jobs; they are removed so benches start from an empty queue.
    """
    rng = random.Random(seed)
    films = popular_by_genre(pool)
    users: list[str] = []
    with transaction(pool) as conn:
        for i in range(count):
            user = conn.execute("insert into auth.users (email) values (%s) returning id::text as id",
                                (f"bench{seed}-{i}@example.com",)).fetchone()["id"]
            liked = rng.sample(GENRES, 2)
            chosen: dict[int, float] = {}
            while len(chosen) < ratings_per_user:
                if len(chosen) < ratings_per_user * 3 // 4:
                    movie_id, rating = rng.choice(films[rng.choice(liked)]), rng.choice((4.0, 4.5, 5.0))
                else:
                    movie_id, rating = rng.choice(films["*"]), rng.choice((2.0, 2.5, 3.0, 3.5))
                chosen.setdefault(movie_id, rating)
            with conn.cursor() as cur:
                cur.executemany("insert into ratings (user_id, movie_id, rating, rated_at)"
                                " values (%s, %s, %s, now() - make_interval(days => %s))",
                                [(user, m, r, rng.randint(1, 300)) for m, r in chosen.items()])
            users.append(user)
        conn.execute("delete from recommendation_refresh_queue")
    return users


def machine() -> str:
    import os
    import platform

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()}"


def add_database_and_output_args(parser: argparse.ArgumentParser) -> None:
    """The options every database-backed benchmark shares."""
    parser.add_argument("--database-url", default=None, help="default: a throw-away embedded Postgres")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")


def run_and_print(run: Callable[[argparse.Namespace], dict], markdown: Callable[[dict], str],
                  args: argparse.Namespace) -> dict:
    """Run a benchmark, print its table (or JSON with --json), return the result for bench.run_all."""
    result = run(args)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return result
