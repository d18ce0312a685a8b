"""Readers for ../shared/data/tmdb_classic/ (see its SOURCES.md), used by scripts/build_catalog.py.

- squadslayer_tmdb_top_rated_movies.csv.gz: TMDB /movie/top_rated (~April 2025, vote_count >= 300), 10,000 rows
  of every decade: title, original_language, overview, release_date, popularity, votes. No genres, no imdb_id.
- keywords.csv.gz: The Movies Dataset keywords (~2017) for 45k TMDB ids; no titles, so it only adds keywords
  to films some other source names.
- links.csv: The Movies Dataset links, TMDB id -> IMDb id (its MovieLens ids are never read or shipped).
"""

from __future__ import annotations

import csv
import gzip
import logging
from pathlib import Path

import catalog_sources as cs

log = logging.getLogger(__name__)

TOP_RATED = "squadslayer_tmdb_top_rated_movies.csv.gz"


def load_top_rated(classic: Path) -> dict[int, dict]:
    """TMDB's top-rated list; the first row of an id repeated by paging wins."""
    return {i: {
        "title": cs._text(r.get("title")), "release_date": cs._iso_date(r.get("release_date")),
        "overview": cs._text(r.get("overview")), "original_language": r.get("original_language") or None,
        "popularity": cs._float(r.get("popularity")), "vote_average": cs._float(r.get("vote_average")),
        "vote_count": cs._int(r.get("vote_count")),
    } for i, r in cs.read_rows(classic / TOP_RATED).items()}


def load_keywords(classic: Path) -> dict[int, list[str]]:
    """{tmdb id: keyword names}; an id listed twice keeps its first non-empty list."""
    out: dict[int, list[str]] = {}
    with gzip.open(classic / "keywords.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            movie_id = cs._int(row.get("id"))
            if not movie_id or out.get(movie_id):
                continue
            names = cs._names(row.get("keywords"), literal=True)
            if names:
                out[movie_id] = list(dict.fromkeys(names))
    log.info("keywords.csv: %d films with keywords", len(out))
    return out


def load_links(classic: Path) -> dict[int, str]:
    """{tmdb id: 'tt0089276'} from links.csv; a TMDB id linked to two IMDb ids gets none (doubtful)."""
    seen: dict[int, set[str]] = {}
    with open(classic / "links.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            tmdb_id, imdb = cs._int(row.get("tmdbId")), (row.get("imdbId") or "").strip()
            if tmdb_id and imdb.isdigit():
                seen.setdefault(tmdb_id, set()).add(f"tt{int(imdb):07d}")
    return {i: next(iter(ids)) for i, ids in seen.items() if len(ids) == 1}

