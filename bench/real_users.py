"""Recommendation quality on real people's exports, through the product's own import path (issue 12).

    python -m bench.real_users --export FILE [--export FILE …] [--protocol uniform|trending] [--seed N] [--json]

Each export is imported with `import_file` (offline catalog) into a throw-away database, as the app would.
Then, per person, for each of their last 30 ratings ≥ 4★ (by date, films in the catalog): train on the
ratings dated before it and rank the held-out film among 100 unrated catalog films sampled uniformly
among films with ≥ 50 votes (`uniform`) or 19 sampled by popularity (`trending`). Methods on the same
candidates: random, TopPop (TMDB vote count) and the local matcher exactly as the app runs it
(`build_profile` + `LocalMatcher(config_for_source(...))`: the configuration the scout runs on candidates
found that way — a trending list for `trending`, catalog-wide for `uniform`).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.bench_db import bench_database
from bench.quality_grid import grid_figures
from cine_core.db import open_pool, transaction
from cine_core.domain.models import Movie, RatedMovie
from cine_core.films.catalog import catalog_movies
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.reader import parse_file
from cine_core.imports.service import import_file
from cine_core.recommend.config import PROTOCOL_SOURCE, config_for_source
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.profile import build_profile
from cine_core.taste.store import load_rated

log = logging.getLogger(__name__)

REAL_EXPORTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "real_exports"
DEFAULT_EXPORTS = (REAL_EXPORTS / "trakt_2026" / "ratings-movies.json",)
HELD_OUT = 30
MIN_VOTES = 50
NEGATIVES = {"uniform": 100, "trending": 19}
COVERED_YEARS = (2000, 2023)  # the years the catalog's newest sources cover completely


def import_people(url: str, exports: Sequence[Path]) -> tuple[list[dict], dict[str, list[RatedMovie]]]:
    """Import each export as one person; return per-file import figures and each person's ratings."""
    pool = open_pool(url, max_size=2, name="bench-real-users")
    source = shared_catalog_source()
    figures, people = [], {}
    try:
        for path in exports:
            with transaction(pool) as conn:
                user = conn.execute("insert into auth.users (email) values (%s) returning id::text as id",
                                    (f"{path.parent.name}-{path.stem}@example.com",)).fetchone()["id"]
            started = time.perf_counter()
            report = import_file(pool, path, user, source=source)
            seconds = time.perf_counter() - started
            figures.append({"file": f"{path.parent.name}/{path.name}", "seconds": round(seconds, 2),
                            **_match_rates(parse_file(path).rows, report.unmatched_rows)})
            with transaction(pool) as conn:
                people[user] = load_rated(conn, user)
    finally:
        pool.close()
    return figures, people


def _match_rates(rows, unmatched_rows) -> dict:
    """Rows and match rates overall and by release years: COVERED_YEARS, older, newer, no year."""
    def band(year):
        if year is None:
            return "no_year"
        return "covered" if COVERED_YEARS[0] <= year <= COVERED_YEARS[1] else "older" if year < COVERED_YEARS[0] else "newer"
    total: dict[str, int] = {}
    missed: dict[str, int] = {}
    for row in rows:
        total[band(row.year)] = total.get(band(row.year), 0) + 1
    for row in unmatched_rows:
        missed[band(row.year)] = missed.get(band(row.year), 0) + 1
    rates = {f"match_rate_{k}": round(1 - missed.get(k, 0) / n, 3) for k, n in total.items()}
    return {"rows": len(rows), "matched": len(rows) - len(unmatched_rows), **rates,
            "rows_by_band": total}


def cases_for(rated: list[RatedMovie]) -> list[tuple[list[RatedMovie], Movie]]:
    """(training ratings, held-out film) for the person's last HELD_OUT ratings ≥ 4★ that have a date."""
    dated = sorted((r for r in rated if r.rated_at is not None), key=lambda r: r.rated_at)
    liked = [r for r in dated if r.rating >= 4.0][-HELD_OUT:]
    out = []
    for held in liked:
        train = [r for r in dated if r.rated_at < held.rated_at]
        if train:
            out.append((train, held.movie))
    return out


def sample_candidates(held: Movie, train: list[RatedMovie], pool_films: list[Movie], weights: np.ndarray,
                      protocol: str, rng: np.random.Generator) -> list[Movie]:
    seen = {r.movie.id for r in train} | {held.id}
    n = NEGATIVES[protocol]
    chosen: dict[int, Movie] = {}
    while len(chosen) < n:
        picks = rng.choice(len(pool_films), size=n * 2, replace=False,
                           p=weights if protocol == "trending" else None)
        for i in picks:
            film = pool_films[int(i)]
            if film.id not in seen and film.id not in chosen and len(chosen) < n:
                chosen[film.id] = film
    return [held, *chosen.values()]


def evaluate(people: dict[str, list[RatedMovie]], protocol: str, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    pool_films = [m for m in catalog_movies() if m.vote_count >= MIN_VOTES]
    popularity = np.array([m.vote_count for m in pool_films], dtype=float)
    weights = popularity / popularity.sum()
    matcher = LocalMatcher(config_for_source(PROTOCOL_SOURCE[protocol]))  # what the scout runs on such films
    ranks: dict[str, list[int]] = {"local": [], "toppop": [], "random": []}
    cases = 0
    for rated in people.values():
        for train, held in cases_for(rated):
            candidates = sample_candidates(held, train, pool_films, weights, protocol, rng)
            profile = build_profile(train, config=matcher.config.profile)
            films, _, raw = matcher.score(profile=profile, rated=train, candidates=candidates)
            order = [films[i].id for i in np.argsort(-raw, kind="stable")]
            ranks["local"].append(order.index(held.id) + 1)
            by_votes = sorted(candidates, key=lambda m: (-m.vote_count, m.id))
            ranks["toppop"].append([m.id for m in by_votes].index(held.id) + 1)
            ranks["random"].append(int(rng.permutation(len(candidates)).tolist().index(0)) + 1)
            cases += 1
    return {"cases": cases, "methods": {name: _metrics(r) for name, r in ranks.items()}}


def _metrics(ranks: list[int]) -> dict[str, float]:
    if not ranks:
        return {"ndcg@10": 0.0, "hr@10": 0.0}
    ndcg = sum(1 / math.log2(r + 1) for r in ranks if r <= 10) / len(ranks)
    return {"ndcg@10": round(ndcg, 3), "hr@10": round(sum(r <= 10 for r in ranks) / len(ranks), 3)}


def run(args: argparse.Namespace) -> dict:
    exports = [Path(p) for p in args.export] or list(DEFAULT_EXPORTS)
    if args.all_shared_exports:
        exports = sorted(p for p in REAL_EXPORTS.glob("*/*") if p.suffix in {".csv", ".json"})
    with bench_database(args.database_url) as url:
        figures, people = import_people(url, exports)
    result = evaluate(people, args.protocol, args.seed)
    pool_films = [m for m in catalog_movies() if m.vote_count >= MIN_VOTES]
    grid = {"diversified": grid_figures(people, pool_films),
            "undiversified": grid_figures(people, pool_films, diversified=False)}
    rows = sum(f["rows"] for f in figures)
    covered = sum(f["rows_by_band"].get("covered", 0) for f in figures)
    covered_missed = sum(round(f["rows_by_band"].get("covered", 0) * (1 - f.get("match_rate_covered", 1.0)))
                         for f in figures)
    return {"protocol": args.protocol, "people": len(people), "cases": result["cases"],
            "match_rate": round(sum(f["matched"] for f in figures) / rows, 3) if rows else 0.0,
            "match_rate_covered": round(1 - covered_missed / covered, 3) if covered else None,
            "methods": result["methods"], "imports": figures, "seed": args.seed, "grid": grid}


def markdown(result: dict) -> str:
    if result.get("benchmark") == "catalog_protocol":
        from bench import catalog_protocol

        return catalog_protocol.markdown(result)
    return _sampled_markdown(result)


def _sampled_markdown(result: dict) -> str:
    covered = result.get("match_rate_covered")
    lines = [f"Protocol `{result['protocol']}`, {result['people']} people, {result['cases']} cases; "
             f"{result['match_rate']:.1%} of all movie rows matched"
             + (f", {covered:.1%} of those released {COVERED_YEARS[0]}–{COVERED_YEARS[1]}." if covered else "."),
             "", "| method | NDCG@10 | HR@10 |", "|---|---:|---:|"]
    for name, m in result["methods"].items():
        lines.append(f"| {name} | {m['ndcg@10']:.3f} | {m['hr@10']:.3f} |")
    lines += ["", "Each person's grid of 12 from the whole catalog (`bench/quality_grid.py`):", "",
              "| grid | franchise repeats / 12 | share ≥ 0.7 | mean TMDB vote | intra-list similarity | coverage |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, g in result.get("grid", {}).items():
        lines.append(f"| {name} | {g['franchise_repeats_per_12']:.2f} | {g['share_at_least_0.7']:.2f} | "
                     f"{g['mean_vote_average']:.2f} | {g['intra_list_similarity']:.3f} | {g['catalog_coverage']:.4f} |")
    lines += ["", f"| export | rows | matched | {COVERED_YEARS[0]}–{COVERED_YEARS[1]} | older | newer | import s |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for f in result["imports"]:
        rates = [f.get(f"match_rate_{band}") for band in ("covered", "older", "newer")]
        shown = " | ".join(f"{r:.1%}" if r is not None else "–" for r in rates)
        lines.append(f"| {f['file']} | {f['rows']} | {f['matched']} | {shown} | {f['seconds']} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", action="append", default=[], help="an export file (repeatable)")
    parser.add_argument("--all-shared-exports", action="store_true",
                        help="import every export in shared/data/real_exports (match rates for all of them)")
    parser.add_argument("--protocol", choices=sorted(NEGATIVES), default="uniform")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    argv = list(argv if argv is not None else __import__("sys").argv[1:])
    if "catalog" in argv and "--protocol" in argv:  # the headline: whole catalog, time-split (catalog_protocol)
        from bench import catalog_protocol

        return catalog_protocol.main([a for a in argv if a not in ("--protocol", "catalog")])
    logging.basicConfig(level=logging.WARNING)
    args = parse_args(argv)
    result = run(args)
    keys = ("protocol", "people", "cases", "match_rate", "methods", "match_rate_covered", "grid")
    print(json.dumps({k: result[k] for k in keys}) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    main()
