"""Build cine_core/app/data/film_countries.json.gz: each catalog film's production countries (ISO 3166-1), for
the year in review's "countries" (issue 25.1). The catalog itself has no countries; these come from the same
TMDB-derived files the catalog is built from (scripts/build_catalog.py), first source first:

- tmdb_recent/tmdb_details_2000_2024/final_tmdb_data_YYYY.csv.gz   (~Dec 2023, full /movie details, 2000-2024)
- tmdb/tmdb_5000_movies.csv.gz                                      (~2017)
- tmdb/movies_metadata_subset2831.csv.gz                            (~2017)

Usage: python scripts/build_film_countries.py [--data /work/shared/data]
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.catalog_sources import read_rows  # noqa: E402

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "cine_core/films/data/catalog.jsonl.gz"
OUT = ROOT / "cine_core/app/data/film_countries.json.gz"


def _codes(value: str | None) -> list[str]:
    """`production_countries` as JSON or a Python literal: [{"iso_3166_1": "US", "name": ...}, ...]."""
    if not value or not value.strip().startswith("["):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        try:
            items = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return []
    codes = [str(i.get("iso_3166_1", "")).upper() for i in items if isinstance(i, dict)]
    return [c for c in dict.fromkeys(codes) if len(c) == 2 and c.isalpha()]


def _sources(data: Path) -> list[Path]:
    recent = sorted((data / "tmdb_recent/tmdb_details_2000_2024").glob("final_tmdb_data_*.csv.gz"))
    return [*recent, data / "tmdb/tmdb_5000_movies.csv.gz", data / "tmdb/movies_metadata_subset2831.csv.gz"]


def build(data: Path) -> dict[int, list[str]]:
    with gzip.open(CATALOG, "rt", encoding="utf-8") as lines:
        catalog = {json.loads(line)["id"] for line in lines if line.strip()}
    countries: dict[int, list[str]] = {}
    for path in _sources(data):
        for movie_id, row in read_rows(path).items():
            if movie_id in catalog and movie_id not in countries and (codes := _codes(row.get("production_countries"))):
                countries[movie_id] = codes
    log.info("%d of %d catalog films have production countries", len(countries), len(catalog))
    return countries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    countries = build(args.data)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = {"about": "TMDB production_countries per catalog film (scripts/build_film_countries.py)",
            "countries": {str(k): " ".join(v) for k, v in sorted(countries.items())}}
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(body, out, separators=(",", ":"))
    print(f"{OUT.relative_to(ROOT)}: {len(countries):,} films, {OUT.stat().st_size / 1024:,.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
