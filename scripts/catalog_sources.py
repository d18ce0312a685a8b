"""Readers for the TMDB-derived source files of scripts/build_catalog.py.

Every loader returns {tmdb_id: partial record} using the catalog's field names (plus `adult` and
`popular_rank`). Values are parsed but not merged: build_catalog.py picks one value per field.
"""

from __future__ import annotations

import ast
import csv
import gzip
import json
import logging
import re
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root, for its pure domain modules
from cine_core.domain.people import join_name_parts  # noqa: E402

log = logging.getLogger(__name__)

csv.field_size_limit(sys.maxsize)

IMDB_ID = re.compile(r"tt\d{7,10}")
# TMDB's movie genre ids (GET /genre/movie/list), for sources that only give `genre_ids`.
GENRE_IDS = {
    28: "Action", 12: "Adventure", 16: "Animation", 35: "Comedy", 80: "Crime", 99: "Documentary", 18: "Drama",
    10751: "Family", 14: "Fantasy", 36: "History", 27: "Horror", 10402: "Music", 9648: "Mystery",
    10749: "Romance", 878: "Science Fiction", 10770: "TV Movie", 53: "Thriller", 10752: "War", 37: "Western",
}
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


# --- field parsers ------------------------------------------------------------------------------
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


def _split(value: str | None, sep: str, *, repair: bool = False) -> list[str]:
    parts = [p.strip() for p in (value or "").split(sep) if p.strip()]
    if sep == ",":  # "Kelvin Harrison, Jr." is one name
        parts = list(join_name_parts(parts))
    return [repair_mojibake(p) for p in parts] if repair else parts


def _names(value: str | None, *, literal: bool = False) -> list[str]:
    """Names from a JSON (or Python-literal) list of {"id", "name"} dicts."""
    if not value:
        return []
    try:
        items = ast.literal_eval(value) if literal else json.loads(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    return [str(item["name"]).strip() for item in items if isinstance(item, dict) and item.get("name")]


def _genre_ids(value: str | None) -> list[str]:
    ids = re.findall(r"\d+", value or "")
    return [GENRE_IDS[int(i)] for i in ids if int(i) in GENRE_IDS]


def _iso_date(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value.strip()).isoformat() if value and value.strip() else None
    except ValueError:
        return None


def _udacity_date(value: str | None, year: int | None) -> str | None:
    """'6/9/15' + release_year 2015 -> '2015-06-09' (the two-digit year is ambiguous on its own)."""
    try:
        month, day, _ = (int(p) for p in (value or "").split("/"))
        return date(year, month, day).isoformat() if year else None
    except ValueError:
        return None


def _imdb(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if IMDB_ID.fullmatch(value) else None


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def _text(value: str | None) -> str | None:
    """Whitespace-collapsed text (the details files keep stray newlines and double spaces)."""
    return " ".join((value or "").split()) or None


# --- reading ------------------------------------------------------------------------------------
def read_rows(path: Path, id_column: str = "id") -> dict[int, dict[str, str]]:
    """{id: row} of one CSV (optionally gzipped); first row per id wins.

    Rows with the wrong number of fields (e.g. an unquoted newline in an overview) or no integer
    id are skipped and counted in a log line.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    rows: dict[int, dict[str, str]] = {}
    bad = dupes = 0
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                bad += 1
                continue
            if len(row) != len(header):
                bad += 1 if any(f.strip() for f in row) else 0
                continue
            record = dict(zip(header, row, strict=True))
            movie_id = _int(record.get(id_column))
            if not movie_id or movie_id < 0:
                bad += 1
            elif movie_id in rows:
                dupes += 1
            else:
                rows[movie_id] = record
    if bad or dupes:
        log.info("%s: %d rows, skipped %d malformed and %d repeated ids", path.name, len(rows), bad, dupes)
    return rows


# --- one loader per source ----------------------------------------------------------------------
def load_tmdb5000(src: Path) -> dict[int, dict]:
    return {i: {
        "title": _text(r.get("title")), "original_title": _text(r.get("original_title")),
        "release_date": _iso_date(r.get("release_date")), "overview": _text(r.get("overview")),
        "genres": _names(r.get("genres")), "keywords": _names(r.get("keywords")),
        "runtime": _int(r.get("runtime")), "original_language": r.get("original_language") or None,
        "popularity": _float(r.get("popularity")), "vote_average": _float(r.get("vote_average")),
        "vote_count": _int(r.get("vote_count")),
    } for i, r in read_rows(src / "tmdb_5000_movies.csv.gz").items()}


def load_udacity(src: Path) -> dict[int, dict]:
    out = {}
    for i, r in read_rows(src / "udacity_tmdb-movies.csv.gz").items():
        year = _int(r.get("release_year"))
        out[i] = {
            # Its `original_title` column holds the (English) title.
            "title": _text(repair_mojibake(r.get("original_title", ""))),
            "release_date": _udacity_date(r.get("release_date"), year), "year": year,
            "overview": _text(repair_mojibake(r.get("overview", ""))),
            "genres": _split(r.get("genres"), "|"), "keywords": _split(r.get("keywords"), "|", repair=True),
            "directors": _split(r.get("director"), "|", repair=True),
            "cast": _split(r.get("cast"), "|", repair=True), "runtime": _int(r.get("runtime")),
            "popularity": _float(r.get("popularity")), "vote_average": _float(r.get("vote_average")),
            "vote_count": _int(r.get("vote_count")), "imdb_id": _imdb(r.get("imdb_id")),
        }
    return out


def load_credits(src: Path) -> dict[int, dict]:
    return {i: {
        "title": _text(r.get("title")), "imdb_id": _imdb(r.get("imdb_id")),
        "directors": _split(r.get("directors"), "|"), "cast": _split(r.get("cast_top5"), "|"),
    } for i, r in read_rows(src / "tmdb_credits_trimmed.csv", "tmdb_id").items()}


def load_metadata_subset(src: Path) -> dict[int, dict]:
    return {i: {
        "title": _text(r.get("title")), "original_title": _text(r.get("original_title")),
        "release_date": _iso_date(r.get("release_date")), "overview": _text(r.get("overview")),
        "genres": _names(r.get("genres"), literal=True), "runtime": _int(r.get("runtime")),
        "original_language": r.get("original_language") or None, "popularity": _float(r.get("popularity")),
        "vote_average": _float(r.get("vote_average")), "vote_count": _int(r.get("vote_count")),
        "poster_path": r.get("poster_path") or None, "imdb_id": _imdb(r.get("imdb_id")), "adult": _bool(r.get("adult")),
    } for i, r in read_rows(src / "movies_metadata_subset2831.csv.gz").items()}


def load_details(recent: Path) -> dict[int, dict]:
    """tmdb_details_2000_2024/final_tmdb_data_YYYY.csv.gz: full /movie details as of about Dec 2023."""
    out: dict[int, dict] = {}
    for path in sorted((recent / "tmdb_details_2000_2024").glob("final_tmdb_data_*.csv.gz")):
        for i, r in read_rows(path).items():
            out.setdefault(i, {
                "title": _text(r.get("title")), "original_title": _text(r.get("original_title")),
                "release_date": _iso_date(r.get("release_date")), "overview": _text(r.get("overview")),
                "genres": _names(r.get("genres"), literal=True), "runtime": _int(r.get("runtime")),
                "original_language": r.get("original_language") or None,
                "popularity": _float(r.get("popularity")), "vote_average": _float(r.get("vote_average")),
                "vote_count": _int(r.get("vote_count")), "poster_path": r.get("poster_path") or None,
                "imdb_id": _imdb(r.get("imdb_id")), "certification": _text(r.get("certification")),
                "adult": _bool(r.get("adult")),
            })
    return out


def load_popular(recent: Path) -> dict[int, dict]:
    """mdtarequl72k_movies_tmdb.csv: TMDB /movie/popular of mid-2025; popular_rank = first position."""
    rows = read_rows(recent / "mdtarequl72k_movies_tmdb.csv")  # dict keeps file order
    return {i: {
        "title": _text(r.get("title")), "release_date": _iso_date(r.get("release_date")),
        "overview": _text(r.get("overview")), "genres": _genre_ids(r.get("genre_ids")),
        "original_language": r.get("original_language") or None, "popularity": _float(r.get("popularity")),
        "vote_average": _float(r.get("vote_average")), "vote_count": _int(r.get("vote_count")),
        "poster_path": r.get("poster_path") or None, "adult": _bool(r.get("adult")), "popular_rank": rank,
    } for rank, (i, r) in enumerate(rows.items(), start=1)}


def load_credits_2025(recent: Path) -> dict[int, dict]:
    """tnvsng27_tmdb_movie_details.csv: details with director and top-5 cast, fetched about July 2025."""
    return {i: {
        "title": _text(r.get("title")), "original_title": _text(r.get("original_title")),
        "release_date": _iso_date(r.get("release_date")), "overview": _text(r.get("overview")),
        "genres": _split(r.get("genres"), ","), "directors": _split(r.get("director"), ","),
        "cast": _split(r.get("cast"), ","), "runtime": _int(r.get("runtime")),
        "popularity": _float(r.get("popularity")), "vote_average": _float(r.get("vote_average")),
        "vote_count": _int(r.get("vote_count")), "imdb_id": _imdb(r.get("imdb_id")),
    } for i, r in read_rows(recent / "tnvsng27_tmdb_movie_details.csv", "movie_id").items()}
