"""Which shared data files name a film by title and year: where a miss of bench.match_decades could come from.

The catalog is built from TMDB-derived files only (scripts/build_catalog.py), and a film enters it with its TMDB id.
A miss found here is one of:
- `tmdb`: a TMDB-derived file has it (with its id): the build dropped it (e.g. too few votes), a catalog question;
- `movielens`: ml-latest-small names it, with a TMDB id through its links.csv (GroupLens terms: non-commercial, so
  the shipped catalog does not take titles from it);
- `wikipedia` / `streaming`: Wikipedia's American films or a streaming catalogue name it, with no id of any kind.
Titles compare as the importer's do (`title_key`: case, accents, punctuation and a leading or trailing article do
not matter; a MovieLens 'Shop Around the Corner, The (Alt Title) (1940)' gives both titles), years within one.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from cine_core.domain.titles import title_key

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
_ML_TITLE = re.compile(r"^(.*) \((\d{4})\)\s*$")
_ML_ARTICLE = re.compile(r"^(.*), (The|A|An|La|Le|Les|L'|El|Il|Der|Die|Das)$")
csv.field_size_limit(sys.maxsize)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        yield from csv.DictReader(handle)


def _year(value: object) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


class SharedTitles:
    """{title key: {(year, source, tmdb id or None)}} over every shared file that names films."""

    def __init__(self, root: Path = SHARED) -> None:
        self._index: dict[str, set[tuple[int | None, str, str | None]]] = defaultdict(set)
        tmdb_files = [*root.glob("tmdb/*.csv*"), *root.glob("tmdb_recent/*.csv"),
                      *root.glob("tmdb_recent/tmdb_details_2000_2024/*.csv*"), *root.glob("tmdb_classic/*top_rated*")]
        for path in tmdb_files:
            for row in _rows(path):
                movie_id = row.get("id") or row.get("tmdb_id") or row.get("movie_id")
                for title in (row.get("title"), row.get("original_title")):
                    self._add(title, row.get("release_date") or row.get("release_year"), "tmdb", movie_id)
        self._add_movielens(root / "ml-latest-small")
        for path in (root / "film_people" / "wikipedia_us_films").glob("*.json.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for film in json.load(handle):
                    self._add(film.get("title"), film.get("year"), "wikipedia", None)
        for path in (root / "film_people" / "streaming_catalogs").glob("*.csv.gz"):
            for row in _rows(path):
                if row.get("type") == "Movie":
                    self._add(row.get("title"), row.get("release_year"), "streaming", None)

    def _add(self, title: str | None, year: object, source: str, movie_id: str | None) -> None:
        key = title_key(title or "")
        if key:
            self._index[key].add((_year(year), source, movie_id or None))

    def _add_movielens(self, folder: Path) -> None:
        if not (folder / "movies.csv").exists():
            return
        links = {row["movieId"]: row.get("tmdbId") or None for row in _rows(folder / "links.csv")}
        for row in _rows(folder / "movies.csv"):
            match = _ML_TITLE.match(row["title"].strip())
            if not match:
                continue
            name, year = match.groups()
            for title in (re.sub(r"\s*\([^()]*\)", "", name), *re.findall(r"\(([^()]*)\)", name)):
                self._add(_ML_ARTICLE.sub(r"\2 \1", title.strip()), year, "movielens", links.get(row["movieId"]))

    def sources(self, title: str, year: int | None) -> dict[str, str | None]:
        """{source: a TMDB id or None} of the files that name this title within a year of `year`."""
        found: dict[str, str | None] = {}
        for seen_year, source, movie_id in sorted(self._index.get(title_key(title), ()), key=str):
            if year is not None and seen_year is not None and abs(seen_year - year) <= 1:
                found[source] = found.get(source) or movie_id
        return found
