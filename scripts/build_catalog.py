"""Rebuild cine_core/films/data/catalog.jsonl.gz from the TMDB-derived files in ../shared/data/.

Usage: python scripts/build_catalog.py [--src DIR] [--recent DIR] [--classic DIR] [--people DIR] [--out FILE]

Union of eight files keyed by TMDB id (see ../shared/data/README.md and tmdb_recent/SOURCES.md),
listed oldest snapshot first; parsing lives in scripts/catalog_sources.py:
- tmdb/udacity_tmdb-movies.csv.gz          (~2016) cast, director, keywords, genres; cp1252 mojibake repaired
- tmdb/tmdb_5000_movies.csv.gz             (~2017) title, overview, genres, keywords, runtime, votes
- tmdb/tmdb_credits_trimmed.csv            repaired directors / top-5 cast (preferred over the Udacity columns)
- tmdb/movies_metadata_subset2831.csv.gz   (~2017) poster_path, imdb_id, original_language
- tmdb_recent/tmdb_details_2000_2024/final_tmdb_data_YYYY.csv.gz  (~Dec 2023) 93k films of 2000-2024: imdb_id,
  original_title, US certification, poster_path, genres, runtime, votes; rows broken by stray newlines are skipped
- tmdb_recent/mdtarequl72k_movies_tmdb.csv (mid-2025) TMDB /movie/popular, 10k rows; gives `popular_rank`
- tmdb_recent/tnvsng27_tmdb_movie_details.csv (~Jul 2025) director, top-5 cast, genres, imdb_id, runtime
- tmdb_classic/squadslayer_tmdb_top_rated_movies.csv.gz (~Apr 2025) TMDB's top-rated 10k of every decade (no genres)
and, for films those name, (scripts/catalog_classic.py, catalog_people.py):
- tmdb_classic/keywords.csv.gz (~2017, 45k films) keywords where TMDB 5000 has none (before the Udacity ones)
- tmdb_classic/links.csv                   imdb_id where no other source has one
- film_people/ (streaming catalogs CC0, Wikipedia CC BY-SA) directors / cast where no TMDB source has them,
  joined on exact title + year; such films list them in `people_from` (and `wikipedia`, the article slug)
Films left with no genres get them inferred from keywords and overview (scripts/genre_inference.py) and carry
`genres_inferred: true`.

Selection: every film of the old four files (the catalog before 2025), every film of the 2025 popular list, and
any other film with vote_count >= 10 in some source; films flagged `adult` anywhere are dropped.
Popular-list-only films released before 2024 with < 10 votes are dropped too (mostly softcore the list carries);
--keep-stale-popular keeps them.
Merge: vote_count/vote_average come from the source with the most votes (the freshest); popularity from the
freshest source that has it, rescaled to the TMDB 5000 scale by the median ratio over shared films; dates,
titles, genres, runtime and posters from the freshest source; the longest overview; keywords, directors and cast
wherever any source has them. Records are sorted by id; empty values are omitted; new optional keys are
`original_title` (only when it differs from `title`), `certification` (US) and `popular_rank` (1 = most popular).
MovieLens data is never read: its terms forbid shipping it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalog_classic as classic_sources  # noqa: E402
import catalog_people  # noqa: E402
import catalog_sources as cs  # noqa: E402
import genre_inference  # noqa: E402

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = PROJECT_ROOT.parent / "shared" / "data" / "tmdb"
DEFAULT_RECENT = PROJECT_ROOT.parent / "shared" / "data" / "tmdb_recent"
DEFAULT_CLASSIC = PROJECT_ROOT.parent / "shared" / "data" / "tmdb_classic"
DEFAULT_PEOPLE = PROJECT_ROOT.parent / "shared" / "data" / "film_people"
DEFAULT_OUT = PROJECT_ROOT / "cine_core" / "films" / "data" / "catalog.jsonl.gz"
MAX_KEYWORDS = 20
MAX_CAST = 5
MAX_OVERVIEW = 600
MIN_VOTES = 10
LEGACY = ("big", "uda", "credits", "meta")  # the pre-2025 catalog: kept whole
REFERENCE = "big"  # popularity is put on the TMDB 5000 scale, as before

# Which sources a field comes from, first non-empty wins (freshest first unless noted).
PREFER = {
    "title": ("tnv", "pop", "top", "det", "big", "credits", "meta", "uda"),
    "original_title": ("det", "tnv", "big", "meta"),
    "release_date": ("tnv", "pop", "top", "det", "big", "meta", "uda"),
    "genres": ("tnv", "det", "big", "meta", "uda", "pop"),
    "keywords": ("big", "kw", "uda"),  # keywords.csv has TMDB's full list; Udacity's is cut to five
    "directors": ("credits", "tnv", "uda"),  # the repaired credits first
    "cast": ("credits", "tnv", "uda"),
    "runtime": ("tnv", "det", "big", "meta", "uda"),
    "original_language": ("pop", "top", "det", "big", "meta"),
    "popularity": ("tnv", "pop", "top", "det", "meta", "big", "uda"),
    "poster_path": ("pop", "det", "meta"),
    "imdb_id": ("det", "tnv", "uda", "credits", "meta", "links"),
    "certification": ("det",),
    "popular_rank": ("pop",),
}
FRESHNESS = ("tnv", "pop", "top", "det", "meta", "big", "uda")
ENRICHING = ("kw", "links")  # add fields to films other sources name; never a film on their own  # ties in vote_count go to the fresher source


def load_sources(src: Path, recent: Path, classic: Path) -> dict[str, dict[int, dict]]:
    return {
        "big": cs.load_tmdb5000(src), "uda": cs.load_udacity(src), "credits": cs.load_credits(src),
        "meta": cs.load_metadata_subset(src), "det": cs.load_details(recent), "pop": cs.load_popular(recent),
        "tnv": cs.load_credits_2025(recent), "top": classic_sources.load_top_rated(classic),
        "kw": {i: {"keywords": k} for i, k in classic_sources.load_keywords(classic).items()},
        "links": {i: {"imdb_id": imdb} for i, imdb in classic_sources.load_links(classic).items()},
    }


def popularity_scales(sources: dict[str, dict[int, dict]]) -> dict[str, float]:
    """Median ratio reference/source over films both hold: the snapshots use different popularity scales."""
    ref = sources[REFERENCE]
    scales = {}
    for name, rows in sources.items():
        if name in ENRICHING:
            continue
        ratios = [
            ref[i]["popularity"] / rows[i]["popularity"]
            for i in ref.keys() & rows.keys()
            if (rows[i].get("popularity") or 0) > 0.01 and (ref[i].get("popularity") or 0) > 0
        ]
        scales[name] = 1.0 if name == REFERENCE or not ratios else statistics.median(ratios)
    log.info("popularity scale to %s: %s", REFERENCE, ", ".join(f"{k} x{v:.3f}" for k, v in scales.items()))
    return scales


def shorten(text: str | None, limit: int = MAX_OVERVIEW) -> str | None:
    """Cut on a word boundary and mark the cut with an ellipsis."""
    if not text or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _pick(parts: dict[str, dict], field: str):
    for name in PREFER[field]:
        value = parts.get(name, {}).get(field)
        if value not in (None, "", [], 0):
            return value
    return None


def merge(movie_id: int, parts: dict[str, dict], scales: dict[str, float]) -> dict:
    overviews = [p["overview"] for name in FRESHNESS if (p := parts.get(name)) and p.get("overview")]
    votes = [(p.get("vote_count") or 0, -FRESHNESS.index(n), p.get("vote_average")) for n, p in parts.items()
             if n in FRESHNESS]
    vote_count, _, vote_average = max(votes) if votes else (0, 0, None)
    popularity = next((p["popularity"] * scales[n] for n in PREFER["popularity"]
                       if (p := parts.get(n)) and (p.get("popularity") or 0) > 0), 0.0)
    release = _pick(parts, "release_date")
    title = _pick(parts, "title")
    original_title = _pick(parts, "original_title")
    film = {
        "id": movie_id,
        "title": title,
        "year": int(release[:4]) if release else parts.get("uda", {}).get("year"),
        "release_date": release,
        "overview": shorten(max(overviews, key=len) if overviews else None),
        "genres": _pick(parts, "genres"),
        "keywords": (_pick(parts, "keywords") or [])[:MAX_KEYWORDS],
        "directors": _pick(parts, "directors"),
        "cast": (_pick(parts, "cast") or [])[:MAX_CAST],
        "runtime": _pick(parts, "runtime"),
        "original_language": _pick(parts, "original_language"),
        "popularity": round(popularity, 3),
        "vote_average": round(vote_average, 3) if vote_count and vote_average is not None else None,
        "vote_count": vote_count,
        "poster_path": _pick(parts, "poster_path"),
        "imdb_id": _pick(parts, "imdb_id"),
        "original_title": original_title if original_title != title else None,
        "certification": _pick(parts, "certification"),
        "popular_rank": _pick(parts, "popular_rank"),
    }
    return {k: v for k, v in film.items() if v not in (None, "", [])}


def is_stale_popular(parts: dict[str, dict], max_votes: int) -> bool:
    """Only on the popular list, released before 2024, under MIN_VOTES votes: mostly obscure softcore (adult=False)."""
    release = parts["pop"].get("release_date")
    return parts.keys() - set(ENRICHING) == {"pop"} and max_votes < MIN_VOTES and bool(release) and release < "2024-01-01"


def build(src: Path, recent: Path, classic: Path, people: Path, *, drop_stale_popular: bool = True) -> list[dict]:
    sources = load_sources(src, recent, classic)
    for name, rows in sources.items():
        log.info("%-8s %6d films", name, len(rows))
    scales = popularity_scales(sources)
    legacy = set().union(*(sources[n].keys() for n in LEGACY))
    films, dropped = [], {"adult": 0, "no title": 0, "few votes": 0, "stale popular": 0}
    named = set().union(*(rows.keys() for name, rows in sources.items() if name not in ENRICHING))
    for movie_id in sorted(named):
        parts = {name: rows[movie_id] for name, rows in sources.items() if movie_id in rows}
        if any(p.get("adult") for p in parts.values()):
            dropped["adult"] += 1
            continue
        max_votes = max((p.get("vote_count") or 0 for p in parts.values()), default=0)
        if movie_id not in legacy and "pop" not in parts and max_votes < MIN_VOTES:
            dropped["few votes"] += 1
            continue
        if drop_stale_popular and "pop" in parts and is_stale_popular(parts, max_votes):
            dropped["stale popular"] += 1
            continue
        film = merge(movie_id, parts, scales)
        if not film.get("title"):
            dropped["no title"] += 1
            continue
        films.append(film)
    log.info("kept %d films; dropped %s", len(films), ", ".join(f"{v} {k}" for k, v in dropped.items()))
    add_people(films, people)
    infer_genres(films)
    return films


def add_people(films: list[dict], people: Path) -> None:
    """Directors / cast from film_people/ where no TMDB source has them, with where they came from."""
    filled = {"directors": 0, "cast": 0}
    found_by_id = catalog_people.people_for(films, people)
    for film in films:
        found = found_by_id.get(film["id"])
        if not found:
            continue
        used = []
        for field, limit in (("directors", None), ("cast", MAX_CAST)):
            if not film.get(field) and found[field]:
                film[field] = found[field][:limit]
                filled[field] += 1
                used.append(field)
        if used:
            film["people_from"] = found["sources"]
            if "wikipedia" in found["sources"] and found.get("wikipedia"):
                film["wikipedia"] = found["wikipedia"]
    log.info("film_people: +%d directors, +%d casts", filled["directors"], filled["cast"])


def infer_genres(films: list[dict]) -> None:
    """Genres for films no source gives any, from their keywords and overview; flagged `genres_inferred`."""
    missing = [f for f in films if not f.get("genres")]
    model = genre_inference.GenreModel().fit(films)
    for film, genres in zip(missing, model.predict(missing), strict=True):
        film["genres"] = genres
        film["genres_inferred"] = True
    log.info("inferred genres for %d films", len(missing))


def write(films: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    # mtime=0: the same input gives a byte-identical file (clean diffs). Written aside, then moved into place.
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        for film in films:
            gz.write((json.dumps(film, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="the tmdb/ folder")
    parser.add_argument("--recent", type=Path, default=DEFAULT_RECENT, help="the tmdb_recent/ folder")
    parser.add_argument("--classic", type=Path, default=DEFAULT_CLASSIC, help="the tmdb_classic/ folder")
    parser.add_argument("--people", type=Path, default=DEFAULT_PEOPLE, help="the film_people/ folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--keep-stale-popular", action="store_true",
                        help="keep popular-list-only films released before 2024 with few votes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.perf_counter()
    films = build(args.src, args.recent, args.classic, args.people, drop_stale_popular=not args.keep_stale_popular)
    write(films, args.out)
    log.info("wrote %d films to %s (%.1f MB) in %.1f s", len(films), args.out, args.out.stat().st_size / 1e6,
             time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
