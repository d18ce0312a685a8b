"""Build cine_core/films/data/title_aliases.json.gz: the other titles and release years that TMDB-derived files
give a catalog film, so an import row naming the film the way Letterboxd or IMDb does finds it (issue 23.3).

TMDB retitles films and moves their release dates; the shared files were fetched years apart and keep the older
forms ('Sympathy for Lady Vengeance' is the catalog's 'Lady Vengeance', TMDB id 4550; 'Ringu' its 'Ring'). The
yearly files of tmdb_details_2000_2024 hold the films of one IMDb start year, which is often the festival year
Letterboxd shows (You're Next: IMDb and Letterboxd 2011, TMDB 2013). Only films already in the catalog get
aliases: nothing is added to the catalog, and every title and year comes from a TMDB-derived file (TMDB's terms,
as for the catalog; no MovieLens data).

Usage: python scripts/build_title_aliases.py [--data /work/shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cine_core.domain.titles import title_key  # noqa: E402
from cine_core.films.title_aliases import ALIASES_FILE, MAX_YEAR_GAP  # noqa: E402
from scripts import catalog_sources as sources  # noqa: E402

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "cine_core/films/data/catalog.jsonl.gz"
_YEARLY = re.compile(r"final_tmdb_data_(\d{4})")


def _titled_sources(data: Path) -> list[dict[int, dict]]:
    """{id: {'title', 'original_title'?, 'release_date'?}} of each TMDB-derived file that names films."""
    tmdb, recent = data / "tmdb", data / "tmdb_recent"
    top_rated = sources.read_rows(data / "tmdb_classic" / "squadslayer_tmdb_top_rated_movies.csv.gz")
    return [sources.load_tmdb5000(tmdb), sources.load_udacity(tmdb), sources.load_credits(tmdb),
            sources.load_metadata_subset(tmdb), sources.load_details(recent), sources.load_popular(recent),
            sources.load_credits_2025(recent),
            {i: {"title": r.get("title"), "release_date": r.get("release_date")} for i, r in top_rated.items()}]


def _imdb_years(data: Path) -> dict[int, int]:
    """{id: the IMDb start year of the yearly file that lists the film}."""
    years: dict[int, int] = {}
    for path in sorted((data / "tmdb_recent" / "tmdb_details_2000_2024").glob("final_tmdb_data_*.csv.gz")):
        year = int(_YEARLY.search(path.name).group(1))
        for movie_id in sources.read_rows(path):
            years.setdefault(movie_id, year)
    return years


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def build(data: Path) -> dict[str, dict[str, list]]:
    with gzip.open(CATALOG, "rt", encoding="utf-8") as lines:
        catalog = {film["id"]: film for film in map(json.loads, filter(str.strip, lines))}
    titles: dict[int, dict[str, str]] = defaultdict(dict)  # id -> {key: title}, first spelling kept
    years: dict[int, set[int]] = defaultdict(set)
    for rows in _titled_sources(data):
        for movie_id, row in rows.items():
            film = catalog.get(movie_id)
            if film is None:
                continue
            known = {title_key(film.get("title") or ""), title_key(film.get("original_title") or "")}
            for title in (row.get("title"), row.get("original_title")):
                title = sources.repair_mojibake(title or "").strip()
                if title and "\ufffd" not in title and (key := title_key(title)) and key not in known:
                    titles[movie_id].setdefault(key, title)
            years[movie_id].add(_year(row.get("release_date")) or 0)
    for movie_id, year in _imdb_years(data).items():
        if movie_id in catalog:
            years[movie_id].add(year)
    films: dict[str, dict[str, list]] = {}
    for movie_id in sorted(set(titles) | set(years)):
        own = catalog[movie_id].get("year") or _year(catalog[movie_id].get("release_date"))
        other = sorted(y for y in years.get(movie_id, ()) if y and own and y != own and abs(y - own) <= MAX_YEAR_GAP)
        if titles.get(movie_id) or other:
            films[str(movie_id)] = {"titles": sorted(titles.get(movie_id, {}).values()), "years": other}
    log.info("%d catalog films: %d with other titles, %d with other years", len(films),
             sum(bool(f["titles"]) for f in films.values()), sum(bool(f["years"]) for f in films.values()))
    return films


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    films = build(args.data)
    payload = {"source": "TMDB-derived files of the shared data (see scripts/build_title_aliases.py). This product "
                         "uses the TMDB API but is not endorsed or certified by TMDB.", "films": films}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(ALIASES_FILE, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))  # mtime 0: the same data gives the same file
    log.info("Wrote %s", ALIASES_FILE)


if __name__ == "__main__":
    main()
