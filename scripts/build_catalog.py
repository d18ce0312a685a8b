"""Rebuild cine_core/data/catalog.jsonl.gz from the TMDB-derived files in ../shared/data/tmdb/.

Usage: python scripts/build_catalog.py [--src DIR] [--out FILE]

Union of four files, keyed by TMDB id (see ../shared/data/README.md):
- tmdb_5000_movies.csv.gz       title, overview, genres, keywords, runtime, popularity, votes (preferred)
- udacity_tmdb-movies.csv.gz    cast, director, keywords, genres; text has cp1252 mojibake, repaired here
- tmdb_credits_trimmed.csv      repaired directors / top-5 cast (preferred over the Udacity columns)
- movies_metadata_subset2831    poster_path, original_language
MovieLens data is never read: its terms forbid shipping it.
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import json
import logging
import re
import statistics
import sys
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SRC = PROJECT_ROOT.parent / "shared" / "data" / "tmdb"
DEFAULT_OUT = PROJECT_ROOT / "cine_core" / "data" / "catalog.jsonl.gz"
MAX_KEYWORDS = 20
MAX_CAST = 5

csv.field_size_limit(sys.maxsize)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252 ('GonzÃ¡lez' -> 'González').

    Whole string first; if a lost byte spoils that, each run of non-ASCII characters on its own,
    leaving the runs that do not round-trip as they are.
    """
    if not text or text.isascii():
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _NON_ASCII_RUN.sub(lambda m: _repair_run(m.group(0)), text)


def _repair_run(run: str) -> str:
    try:
        return run.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    if run.endswith("â€"):  # a closing quote (E2 80 9D) whose last byte cp1252 could not show
        return _repair_run(run[:-2]) + "\u201d" if len(run) > 2 else "\u201d"
    return run


def _rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _pipe(value: str | None, *, repair: bool = False) -> list[str]:
    parts = [p.strip() for p in (value or "").split("|") if p.strip()]
    return [repair_mojibake(p) for p in parts] if repair else parts


def _names(value: str | None, *, literal: bool = False) -> list[str]:
    if not value:
        return []
    try:
        items = ast.literal_eval(value) if literal else json.loads(value)
    except (ValueError, SyntaxError):
        return []
    return [str(item["name"]) for item in items if isinstance(item, dict) and item.get("name")]


def _iso_date(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def _udacity_date(value: str | None, year: int | None) -> str | None:
    """'6/9/15' + release_year 2015 -> '2015-06-09' (the two-digit year is ambiguous on its own)."""
    try:
        month, day, _ = (int(p) for p in (value or "").split("/"))
        return date(year, month, day).isoformat() if year else None
    except ValueError:
        return None


def _first(*values):
    for value in values:
        if value not in (None, "", [], 0):
            return value
    return None


def build(src: Path) -> list[dict]:
    big = {int(r["id"]): r for r in _rows(src / "tmdb_5000_movies.csv.gz") if _int(r["id"])}
    uda = {int(r["id"]): r for r in _rows(src / "udacity_tmdb-movies.csv.gz") if _int(r["id"])}
    credits = {int(r["tmdb_id"]): r for r in _rows(src / "tmdb_credits_trimmed.csv") if _int(r["tmdb_id"])}
    meta = {_int(r["id"]): r for r in _rows(src / "movies_metadata_subset2831.csv.gz") if _int(r["id"])}

    # The Udacity snapshot's popularity is on a smaller scale than TMDB 5000's: rescale by the
    # median ratio over films in both, so trending weights are comparable across sources.
    ratios = [
        _float(big[i]["popularity"]) / _float(uda[i]["popularity"])
        for i in big.keys() & uda.keys()
        if (_float(uda[i]["popularity"]) or 0) > 0.01 and (_float(big[i]["popularity"]) or 0) > 0
    ]
    uda_scale = statistics.median(ratios) if ratios else 1.0
    meta_ratios = [
        _float(big[i]["popularity"]) / _float(meta[i]["popularity"])
        for i in big.keys() & meta.keys()
        if (_float(meta[i]["popularity"]) or 0) > 0.01 and (_float(big[i]["popularity"]) or 0) > 0
    ]
    meta_scale = statistics.median(meta_ratios) if meta_ratios else 1.0
    log.info("popularity scale: udacity x%.2f, metadata x%.2f", uda_scale, meta_scale)

    films = []
    for movie_id in sorted(big.keys() | uda.keys() | credits.keys() | meta.keys()):
        b, u, c, m = big.get(movie_id, {}), uda.get(movie_id, {}), credits.get(movie_id, {}), meta.get(movie_id, {})
        title = _first(b.get("title"), c.get("title"), repair_mojibake(u.get("original_title", "")), m.get("title"))
        if not title or not title.strip():
            continue
        u_year = _int(u.get("release_year"))
        release = _first(_iso_date(b.get("release_date")), _iso_date(m.get("release_date")),
                         _udacity_date(u.get("release_date"), u_year))
        year = int(release[:4]) if release else u_year
        popularity = _first(
            _float(b.get("popularity")),
            (_float(m.get("popularity")) or 0) * meta_scale,
            (_float(u.get("popularity")) or 0) * uda_scale,
        ) or 0.0
        votes = [(_int(s.get("vote_count")) or 0, _float(s.get("vote_average"))) for s in (b, m, u) if s]
        vote_count, vote_average = max(votes, key=lambda v: v[0]) if votes else (0, None)
        film = {
            "id": movie_id,
            "title": title.strip(),
            "year": year,
            "release_date": release,
            "overview": _first(b.get("overview"), m.get("overview"), repair_mojibake(u.get("overview", ""))) or "",
            "genres": _first(_names(b.get("genres")), _pipe(u.get("genres")), _names(m.get("genres"), literal=True))
            or [],
            "keywords": (_first(_names(b.get("keywords")), _pipe(u.get("keywords"), repair=True)) or [])[:MAX_KEYWORDS],
            "directors": _first(_pipe(c.get("directors")), _pipe(u.get("director"), repair=True)) or [],
            "cast": (_first(_pipe(c.get("cast_top5")), _pipe(u.get("cast"), repair=True)) or [])[:MAX_CAST],
            "runtime": _first(_int(b.get("runtime")), _int(u.get("runtime")), _int(m.get("runtime"))),
            "original_language": _first(b.get("original_language"), m.get("original_language")),
            "popularity": round(popularity, 3),
            "vote_average": vote_average if vote_count else None,
            "vote_count": vote_count,
            "poster_path": m.get("poster_path") or None,
            "imdb_id": _first(u.get("imdb_id"), c.get("imdb_id"), m.get("imdb_id")),
        }
        films.append({k: v for k, v in film.items() if v not in (None, "", [])})
    return films


def write(films: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives a byte-identical file (clean diffs).
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        for film in films:
            gz.write((json.dumps(film, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    films = build(args.src)
    write(films, args.out)
    log.info("wrote %d films to %s (%.1f MB)", len(films), args.out, args.out.stat().st_size / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
