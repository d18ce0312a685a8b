"""Letterboxd exports: ratings, diary (with rewatches), watched, watchlist and reviews CSVs.

Files come alone or inside the export ZIP (archive.py). Old (`letterboxd.com/<user>/film/<slug>/`) and new
(`boxd.it/…`) URIs both work; a missing Year is taken from an old URI's `-YYYY` slug when it has one.
"""

from __future__ import annotations

import logging
import re
from pathlib import PurePosixPath

from cine_core.domain.review_text import review_to_text
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.values import day_first_for, is_unrated, parse_when, parse_year, rating_from_five

log = logging.getLogger(__name__)

LETTERBOXD_FILES = ("ratings.csv", "diary.csv", "reviews.csv", "watched.csv", "watchlist.csv")
LETTERBOXD_COLUMNS = {"Date", "Name", "Year", "Letterboxd URI"}
MAX_REVIEW_CHARS = 20_000  # as a review logged in the app (cine_core.app.diary); reviews are never cut short
_SLUG_YEAR = re.compile(r"/film/[^/]*-((?:18|19|20)\d\d)/?$")
# Which row wins when one film appears in several files: an explicit rating beats a diary entry.
_PRIORITY = {"ratings": 2, "reviews": 1, "diary": 1, "watched": 0, "watchlist": 0}


def is_letterboxd_header(header: list[str]) -> bool:
    return {"Name", "Letterboxd URI"} <= set(header) or LETTERBOXD_COLUMNS <= set(header)


def letterboxd_kind(name: str, header: list[str]) -> str:
    """ratings | diary | reviews | watched | watchlist, from the file name, else from the columns."""
    lowered = PurePosixPath(name).name.lower()
    for kind in ("watchlist", "reviews", "diary", "ratings", "watched"):
        if kind in lowered:
            return kind
    if "Review" in header:
        return "reviews"
    if "Watched Date" in header:
        return "diary"
    return "ratings" if "Rating" in header else "watched"


def parse_letterboxd_csv(header: list[str], rows: list[dict[str, str]], name: str) -> ParsedFile:
    kind = letterboxd_kind(name, header)
    day_first = day_first_for([r.get("Watched Date") or r.get("Date") for r in rows])
    parsed, skipped = [], []
    for line, row in enumerate(rows, start=2):
        entry, why = _row(row, kind, day_first)
        if entry is None:
            skipped.append(f"{PurePosixPath(name).name} line {line}: {why}")
        else:
            parsed.append(entry)
    return ParsedFile("letterboxd", tuple(parsed), tuple(skipped))


def _row(row: dict[str, str], kind: str, day_first: bool | None) -> tuple[ImportRow | None, str]:
    title = row.get("Name", "")
    if not title:
        return None, "no film name"
    year = parse_year(row.get("Year")) or _year_from_uri(row.get("Letterboxd URI", ""))
    when = parse_when(row.get("Watched Date") or row.get("Date"), day_first=day_first)
    tmdb_id = _tmdb_id(row.get("tmdbID"))  # CineAI's own export adds it (so does Letterboxd's import format)
    if kind == "watchlist":
        return ImportRow(RowKind.WATCHLIST, title, year, when=when, tmdb_id=tmdb_id), ""
    review = review_to_text(row.get("Review"))[:MAX_REVIEW_CHARS].rstrip() or None
    raw = row.get("Rating")
    rating = rating_from_five(raw)
    # A diary entry (diary.csv, or a review written for a diary entry) is one dated watch.
    watched = parse_when(row.get("Watched Date"), day_first=day_first) if kind in ("diary", "reviews") else None
    common = dict(title=title, year=year, when=when, priority=_PRIORITY[kind], review=review, tmdb_id=tmdb_id,
                  watched_on=watched.date() if watched else None,
                  rewatch=(row.get("Rewatch") or "").strip().lower() in ("yes", "true", "1"))
    if rating is not None:
        return ImportRow(RowKind.RATING, rating=rating, **common), ""
    if not is_unrated(raw):
        return None, f"{title}: rating {raw!r} is not 0.5–5 stars"
    return ImportRow(RowKind.WATCHED, **common), ""


def _tmdb_id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < len(value) <= 9 else None


def _year_from_uri(uri: str) -> int | None:
    match = _SLUG_YEAR.search(uri.strip())
    return parse_year(match.group(1)) if match else None
