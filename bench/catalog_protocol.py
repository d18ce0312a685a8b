"""Whole-catalog, time-split quality, the way a person meets it (issue 22): the app end to end vs popularity,
EASE and the previous engine, on the shared real people and MovieLens users nobody fit on.

    python -m bench.catalog_protocol [--ml-users N] [--explain PERSON] [--json]

For each person the dated history is cut at 80% (`catalog_people.split`). The past goes into a fresh account
of a real database (ratings with their dates, watches without stars), then `scout_user` — the worker's own
code, with its candidate sources, filters, diversity and order, the reference date set to the cut — stores
the picks, and the 12 the dashboard shows (its query's order) are compared with the future. Films released
after the cut's year and everything the person had rated or watched by the cut are out of every method's list.

- popularity: the most-voted films (TMDB vote counts are a 2025 snapshot: for an old cut popularity "knows"
  which films became hits; read the recent cuts first);
- EASE: fit on every MovieLens person's past (80% cut), ranking the films it covers;
- catalog ranker (direct): the ranker alone over the whole catalog (Recall@100 comes from it);
- previous engine: the scout without the catalog ranker (the 2026-11-30 engine), end to end.
MovieLens people with an even id fit the weights (bench.catalog_fit); only odd ids are measured here.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from datetime import UTC, datetime

import numpy as np

from bench.catalog_fit import past_neighbours
from bench.catalog_people import Person, Split, cold_split, import_real_people, is_fit_person, movielens_people, split
from bench.catalog_report import METHODS, markdown
from cine_core.config import Settings
from cine_core.db import open_pool, transaction
from cine_core.recommend import pipeline
from cine_core.recommend.ranker.index import catalog_index
from cine_core.recommend.ranker.rank import CatalogRanker

log = logging.getLogger(__name__)

SHOWN = 12
DEFAULT_ML_USERS = 305  # every measured MovieLens user (odd ids with a usable split): a sample of 60 swung by ±0.2×


def ndcg(order: list[int], relevant: frozenset[int], k: int = 10) -> float:
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return sum(1 / math.log2(i + 2) for i, m in enumerate(order[:k]) if m in relevant) / ideal if ideal else 0.0


def allowed_rows(index, s: Split) -> np.ndarray:
    ok = index.eligible & ~(index.years > s.cut.year)
    ok[index.rows([h.movie_id for h in s.past])] = False
    return ok


def top_by(index, scores: np.ndarray, ok: np.ndarray, n: int) -> list[int]:
    s = np.where(ok, scores, -np.inf)
    top = np.argpartition(-s, n)[:n]
    top = top[np.argsort(-s[top], kind="stable")]
    return [int(index.ids[i]) for i in top if np.isfinite(s[i])]


def store_past(pool, s: Split, label: str) -> str:
    """A fresh account holding the person's past: ratings with their dates, watches without stars."""
    with transaction(pool) as conn:
        user = conn.execute("insert into auth.users (email) values (%s) returning id::text as id",
                            (f"{label}-{random.getrandbits(40)}@bench.example",)).fetchone()["id"]
        rated = [(user, h.movie_id, h.rating, datetime.fromtimestamp(h.order, UTC)) for h in s.past
                 if h.rating is not None]
        watched = [(user, h.movie_id, datetime.fromtimestamp(h.order, UTC)) for h in s.past if h.rating is None]
        with conn.cursor() as cur:
            # A person's past arrives at once, as an import would write it; no refresh job per row.
            cur.execute("set local session_replication_role = replica")
            cur.executemany("insert into ratings (user_id, movie_id, rating, rated_at, source) values (%s, %s, %s,"
                            " %s, 'app') on conflict do nothing", rated)
            cur.executemany("insert into watchlist (user_id, movie_id, added_at, watched_at) values (%s, %s, %s, %s)"
                            " on conflict do nothing", [(u, m, w, w) for u, m, w in watched])
    return user


def shown_picks(ctx, pool, s: Split, label: str) -> tuple[list[int], list[float]]:
    """Run the worker's scout for the past and read the picks in the dashboard's order."""
    user = store_past(pool, s, label)
    pipeline.scout_user(ctx, user)
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, confidence from recommendations where user_id = %s order by position"
                            " nulls last, confidence desc, movie_id", (user,)).fetchall()
    return [int(r["movie_id"]) for r in rows], [float(r["confidence"]) for r in rows]


def measure(s: Split, lists: dict[str, list[int]], index, popular_top: list[int]) -> dict:
    out = {}
    for name, order in lists.items():
        shown = order[:SHOWN]
        rows = index.rows(shown)
        out[name] = {
            "ndcg@10": ndcg(order, s.future), "ndcg@10_liked": ndcg(order, s.liked) if s.liked else None,
            "hits@12": len(set(shown) & s.future), "hits@12_liked": len(set(shown) & s.liked),
            "recall@100": len(set(order[:100]) & s.future) / len(s.future) if len(order) >= 100 else None,
            "mean_votes": float(np.expm1(index.log_votes[rows]).mean()) if len(rows) else None,
            "mean_year": float(np.nanmean(index.years[rows])) if len(rows) else None,
            "not_in_popular_top12": len(set(shown) - set(popular_top[:SHOWN])) / max(len(shown), 1),
        }
    return out


def evaluate(pool, people: list[tuple[Person, bool]], *, ml_neighbours) -> list[dict]:
    index = catalog_index()
    settings = Settings()
    shipped = CatalogRanker(index)
    fair = CatalogRanker(index, neighbours=ml_neighbours)  # MovieLens people: no future of theirs in the table
    content_only = CatalogRanker(index, neighbours=None)  # CINE_COLLABORATIVE=0: no MovieLens-derived table
    base = pipeline.build_scout_context(settings, pool)
    results = []
    for person, is_ml in people:
        s = split(person)
        if s is None:
            continue
        ranker = fair if is_ml else shipped
        ctx_new = pipeline.ScoutContext(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                                           "ranker": ranker, "today": lambda c=s.cut: c})
        ctx_old = pipeline.ScoutContext(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                                           "ranker": None, "today": lambda c=s.cut: c})
        started = time.perf_counter()
        app, confidence = shown_picks(ctx_new, pool, s, f"{person.name}-app")
        app_seconds = time.perf_counter() - started
        previous, _ = shown_picks(ctx_old, pool, s, f"{person.name}-previous")
        ok = allowed_rows(index, s)
        popular = top_by(index, index.log_votes, ok, 100)
        ease_scores = ml_neighbours.scores(index.rows([h.movie_id for h in s.past]))
        ease = top_by(index, np.where(ml_neighbours.known, ease_scores, -np.inf), ok, 100)
        direct = [f.movie_id for f in ranker.rank(list(s.past), reference=s.cut, released_by=s.cut, limit=100)]
        content = [f.movie_id for f in content_only.rank(list(s.past), reference=s.cut, released_by=s.cut, limit=100)]
        # The previous engine's trending list is TMDB's mid-2025 one: films released after the cut leave every list.
        released = {int(i) for i in index.ids[index.eligible & ~(index.years > s.cut.year)]}
        app, previous = [m for m in app if m in released], [m for m in previous if m in released]
        lists = {"app": app, "popularity": popular, "ease": ease, "ranker": direct, "content": content,
                 "previous": previous}
        row = {"person": person.name, "cut": s.cut.isoformat(), "past": len(s.past), "future": len(s.future),
               "liked": len(s.liked), "movielens": is_ml, "app_seconds": round(app_seconds, 2),
               "share_shown_at_threshold": sum(c >= settings.pick_threshold for c in confidence[:SHOWN])
               / max(len(confidence[:SHOWN]), 1),
               "methods": measure(s, lists, index, popular)}
        results.append(row)
        log.info("%s (cut %s): app hits %d, popularity hits %d", person.name, s.cut, row["methods"]["app"]["hits@12"],
                 row["methods"]["popularity"]["hits@12"])
    return results


def cold_start(pool, people: list[Person], base) -> dict:
    """App end to end vs popularity for people who gave only 5 ratings (NDCG@10, hits@12 pooled)."""
    index = catalog_index()
    ctx = pipeline.ScoutContext(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}})
    rows = []
    for person in people:
        s = cold_split(person)
        if s is None:
            continue
        ctx = pipeline.ScoutContext(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                                       "today": lambda c=s.cut: c})
        app, _ = shown_picks(ctx, pool, s, f"{person.name}-cold")
        popular = top_by(index, index.log_votes, allowed_rows(index, s), SHOWN)
        rows.append({m: {"ndcg@10": ndcg(o, s.future), "hits@12": len(set(o[:SHOWN]) & s.future)}
                     for m, o in (("app", app), ("popularity", popular))})
    return {"people": len(rows), **{m: {"ndcg@10": round(float(np.mean([r[m]["ndcg@10"] for r in rows])), 4)
                                         if rows else None, "hits@12": sum(r[m]["hits@12"] for r in rows)}
                                    for m in ("app", "popularity")}}


def calibration(people: list[tuple[Person, bool]], shipped: CatalogRanker, fair: CatalogRanker) -> dict:
    """The confidence (chance of ≥ 3.5★ if watched) of every future film a measured person rated, at the cut,
    against what they then gave it: deciles of confidence and the share actually rated ≥ 3.5★."""
    from cine_core.recommend.ranker.rank import LIKED_STARS

    pairs = []
    for person, is_ml in people:
        s = split(person)
        if s is None:
            continue
        stars = {h.movie_id: h.rating for h in person.items if h.rating is not None and h.movie_id in s.future}
        if not stars:
            continue
        ranker = fair if is_ml else shipped
        for f in ranker.rank(list(s.past), reference=s.cut, among=list(stars), limit=len(stars)):
            pairs.append((f.confidence, stars[f.movie_id] >= LIKED_STARS))
    if not pairs:
        return {"n": 0, "deciles": []}
    conf = np.asarray([p[0] for p in pairs])
    actual = np.asarray([p[1] for p in pairs], dtype=float)
    order = np.argsort(conf, kind="stable")
    deciles = []
    for chunk in np.array_split(order, 10):
        deciles.append({"n": int(len(chunk)), "mean_confidence": round(float(conf[chunk].mean()), 3),
                        "share_liked": round(float(actual[chunk].mean()), 3)})
    return {"n": len(pairs), "brier": round(float(np.mean((conf - actual) ** 2)), 4),
            "base_rate": round(float(actual.mean()), 3), "deciles": deciles,
            "share_at_or_above_0.7": round(float((conf >= 0.7).mean()), 3),
            "liked_when_at_or_above_0.7": round(float(actual[conf >= 0.7].mean()), 3) if (conf >= 0.7).any() else None}


def pooled(rows: list[dict]) -> dict:
    out = {}
    for method in METHODS:
        vals = [r["methods"][method] for r in rows]
        agg = {}
        for key in ("ndcg@10", "ndcg@10_liked", "recall@100", "mean_votes", "mean_year", "not_in_popular_top12"):
            xs = [v[key] for v in vals if v[key] is not None]
            agg[key] = round(float(np.mean(xs)), 4) if xs else None
        agg["hits@12"] = int(sum(v["hits@12"] for v in vals))
        agg["hits@12_liked"] = int(sum(v["hits@12_liked"] for v in vals))
        out[method] = agg
    out["people"] = len(rows)
    out["future_films"] = int(sum(r["future"] for r in rows))
    out["share_shown_at_threshold"] = round(float(np.mean([r["share_shown_at_threshold"] for r in rows])), 3) if rows else None
    return out


def explain(person: Person, ranker: CatalogRanker, share: float = 0.8) -> str:
    """The top 12 for one person at the cut, with what each signal added to the order's log-odds.
    Look at misses on an early cut (`--cut 0.6`, part of the fit data), never on the measured one."""
    s = split(person, share, end=0.8 if share < 0.8 else None)
    films = {m.id: m for m in __import__("cine_core.films.catalog", fromlist=["x"]).catalog_movies()}
    lines = [f"{person.name}: cut {s.cut}, {len(s.past)} past films, {len(s.future)} future films"]
    for f in ranker.rank(list(s.past), reference=s.cut, released_by=s.cut, limit=SHOWN, explain=True):
        film = films[f.movie_id]
        top = sorted(f.contributions.items(), key=lambda kv: -abs(kv[1]))[:5]
        mark = "✓" if f.movie_id in s.future else " "
        lines.append(f"{mark} {film.title} ({film.year}) conf {f.confidence:.2f} score {f.score:.2f}: "
                     + ", ".join(f"{k} {v:+.2f}" for k, v in top))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict:
    from bench.bench_db import bench_database

    started = time.perf_counter()
    index = catalog_index()
    with bench_database() as url:
        pool = open_pool(url, max_size=4, name="bench-catalog")
        try:
            real = import_real_people(pool) if args.people in ("all", "real") else []
            ml_all = movielens_people(set(index.position))
            neighbours = past_neighbours(index, ml_all)
            if args.explain:
                person = next(p for p, _ in real if p.name == args.explain) if not args.explain.startswith("ml-") \
                    else next(p for p in ml_all if p.name == args.explain)
                text = explain(person, CatalogRanker(index, neighbours=neighbours if person.name.startswith("ml-")
                                                     else True), args.cut)
                print(text)
                return {"explain": text}
            measured = [p for p in ml_all if not is_fit_person(p) and split(p) is not None]
            ml_users = args.ml_users if args.people in ("all", "movielens") else 0
            sample = random.Random(args.seed).sample(measured, min(ml_users, len(measured)))
            real_rows = evaluate(pool, [(p, False) for p, _ in real], ml_neighbours=neighbours)
            ml_rows = evaluate(pool, [(p, True) for p in sample], ml_neighbours=neighbours)
            measured_people = [(p, False) for p, _ in real] + [(p, True) for p in (measured if ml_users else [])]
            calib = calibration(measured_people, CatalogRanker(index), CatalogRanker(index, neighbours=neighbours))
            base = pipeline.build_scout_context(Settings(), pool)
            fair_ctx = pipeline.ScoutContext(**{**{f: getattr(base, f) for f in base.__dataclass_fields__},
                                                "ranker": CatalogRanker(index, neighbours=neighbours)})
            cold = cold_start(pool, [p for p in sample] + [p for p, _ in real], fair_ctx)
        finally:
            pool.close()
    return {"benchmark": "catalog_protocol", "seconds": round(time.perf_counter() - started, 1),
            "real": {"people": real_rows, "pooled": pooled(real_rows)},
            "movielens": {"pooled": pooled(ml_rows), "sample": len(ml_rows), "seed": args.seed},
            "all": pooled(real_rows + ml_rows), "calibration": calib, "cold_start": cold}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ml-users", type=int, default=DEFAULT_ML_USERS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", choices=("all", "real", "movielens"), default="all")
    parser.add_argument("--explain", help="a person (letterboxd_2022, trakt_2026, ml-<id>): top 12 with signals")
    parser.add_argument("--cut", type=float, default=0.6, help="--explain's cut (share of the history in the past)")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.json else logging.INFO, format="%(message)s")
    result = run(args)
    if "explain" in result:
        return result
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
