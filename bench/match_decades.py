"""How much of a real Letterboxd history the importer matches, per release decade (issue 23.3), and why the rest
misses: a near title in the catalog (a matching rule could take it) or no such film in the shared data at all.

    python -m bench.match_decades [--export FILE …] [--list] [--json]

Letterboxd rows carry no TMDB or IMDb id, so a row is matched by title and year alone: the importer's own rule
(`imports.resolve.match_title`) against the bundled catalog, with no database. Each distinct (title, year) of the
given files counts once. Default: every CSV of the shared 2022 and 2019 Letterboxd exports (one person). No part of
it is held out: nothing was tuned on these rows, and a miss is only classified, never matched by hand: near a
catalog title, named by a shared file (bench.match_shared: with a TMDB id or none) or in no file at all.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.match_shared import SharedTitles
from cine_core.domain.models import Movie
from cine_core.domain.titles import title_key
from cine_core.films.catalog import catalog_movies
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.reader import parse_file
from cine_core.imports.resolve import match_title

REAL_EXPORTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "real_exports"
DEFAULT_EXPORTS = tuple(sorted(REAL_EXPORTS.glob("letterboxd_*/*.csv")))
TARGET = 0.8
NEAR_SCORE = 80.0  # a catalog title this similar (0..100) …
NEAR_YEARS = 3  # … within this many years is a near miss; anything else is absent from the shared data


def distinct_rows(paths: Sequence[Path]) -> dict[tuple[str, int | None], None]:
    """Each film once, in file order: titles that differ only in case, accents or punctuation are one film (the
    2019 and 2022 exports spell 'Un Flic' and 'Un flic')."""
    films: dict[tuple[str, int | None], tuple[str, int | None]] = {}
    for path in paths:
        for row in parse_file(path).rows:
            films.setdefault((title_key(row.title), row.year), (row.title, row.year))
    return dict.fromkeys(films.values())


def near_titles(movies: Sequence[Movie], keys: list[str], title: str, year: int | None) -> list[str]:
    """Catalog films a miss might be (a similar title or original title, a close year), as 'Title (year)'."""
    if year is None:
        return []
    hits = process.extract(title_key(title), keys, scorer=fuzz.ratio, score_cutoff=NEAR_SCORE, limit=5)
    films = (movies[i // 2] for _, _, i in hits)  # keys hold each film's title, then its original title
    return [f"{m.title} ({m.year})" for m in films if m.year and abs(m.year - year) <= NEAR_YEARS]


def _kind(miss: dict) -> str:
    """near (a catalog title alike) | with_id (a shared file names it, with a TMDB id) | no_id (named, no id) |
    absent (no shared file names it)."""
    if miss["near"]:
        return "near"
    if miss["shared"]:
        return "with_id" if any(miss["shared"].values()) else "no_id"
    return "absent"


def measure(paths: Sequence[Path], shared: SharedTitles | None = None) -> dict:
    """Rates per decade; each miss classified (`shared`: the shared files' titles, to say where it could come
    from; without it every miss that is not near counts as absent)."""
    source = shared_catalog_source()
    movies = catalog_movies()
    keys = [title_key(t or "") for m in movies for t in (m.title, m.original_title)]
    totals: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    misses: dict[str, list[dict]] = defaultdict(list)
    for title, year in distinct_rows(paths):
        decade = f"{year // 10 * 10}s" if year else "no year"
        totals[decade] += 1
        if match_title(source, title, year) is not None:
            matched[decade] += 1
        else:
            misses[decade].append({"title": title, "year": year, "near": near_titles(movies, keys, title, year),
                                   "shared": shared.sources(title, year) if shared else {}})
    decades = sorted(totals, key=lambda d: (d == "no year", d))
    rows = [{"decade": d, "films": totals[d], "matched": matched[d], "rate": round(matched[d] / totals[d], 3),
             "near_misses": sum(_kind(m) == "near" for m in misses[d]),
             "shared_with_id": sum(_kind(m) == "with_id" for m in misses[d]),
             "shared_no_id": sum(_kind(m) == "no_id" for m in misses[d]),
             "absent": sum(_kind(m) == "absent" for m in misses[d])} for d in decades]
    return {"files": [f"{p.parent.name}/{p.name}" for p in paths], "films": sum(totals.values()),
            "matched": sum(matched.values()), "rows": rows, "misses": dict(misses)}


def markdown(result: dict, *, listing: bool = False) -> str:
    lines = [f"Letterboxd films matched per release decade ({result['films']:,} distinct films of "
             f"{len(result['files'])} files; {result['matched'] / max(result['films'], 1):.1%} overall, target "
             f"{TARGET:.0%} per decade). A miss is 'near' when a catalog film has a title ≥ {NEAR_SCORE:.0f}% alike "
             f"within {NEAR_YEARS} years; else a shared file may name it by title and year (bench.match_shared), "
             "with a TMDB id or none, or no file does.", "",
             "| decade | films | matched | rate | near misses | in a shared file, with a TMDB id | in a shared file, "
             "no id | in no file |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['decade']} | {r['films']} | {r['matched']} | {r['rate']:.1%} | {r['near_misses']} | "
              f"{r['shared_with_id']} | {r['shared_no_id']} | {r['absent']} |" for r in result["rows"]]
    if listing:
        for decade, missed in result["misses"].items():
            lines += ["", f"{decade}: " + "; ".join(
                f"{m['title']} ({m['year']})" + (f" ~ {', '.join(m['near'])}" if m["near"] else "")
                + (f" [{', '.join(f'{k} {v}' if v else k for k, v in m['shared'].items())}]" if m["shared"] else "")
                for m in missed)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.match_decades", description=__doc__.splitlines()[0])
    parser.add_argument("--export", type=Path, action="append", help="a Letterboxd CSV (repeatable)")
    parser.add_argument("--list", action="store_true", help="list every miss")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-shared", action="store_true", help="do not look the misses up in the shared files")
    args = parser.parse_args(argv)
    result = measure(args.export or DEFAULT_EXPORTS, None if args.no_shared else SharedTitles())
    print(json.dumps(result, ensure_ascii=False) if args.json else markdown(result, listing=args.list))
    return result


if __name__ == "__main__":
    main()
