"""IMDb exports: ratings (every layout since 2017) and, later, the watchlist."""

from __future__ import annotations

import logging
from typing import Any

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.values import parse_when, parse_year, rating_from_ten

log = logging.getLogger(__name__)

IMDB_FILM_TYPES = {"movie", "tvmovie", "video", "short", "featurefilm", "shortfilm", "documentary"}
# Column names across IMDb export generations (current, 2018-2023, pre-2018), lower-cased.
IMDB_ALIASES = {
    "const": ("const",),
    "rating": ("your rating", "you rated"),
    "date": ("date rated", "created"),
    "title": ("title",),
    "original_title": ("original title",),
    "type": ("title type",),
    "year": ("year",),
}



def is_imdb_header(header: list[str]) -> bool:
    lower = {h.lower() for h in header}
    return "const" in lower and bool(lower & {"your rating", "you rated"})


def parse_imdb_csv(header: list[str], rows: list[dict[str, str]]) -> ParsedFile:
    parsed, skipped = imdb_rows(header, rows)
    return ParsedFile("imdb", tuple(parsed), tuple(skipped))


def imdb_rows(header: list[str], rows: list[dict[str, str]]) -> tuple[list[ImportRow], list[str]]:
    by_lower = {h.lower(): h for h in header}
    column = {key: next((by_lower[a] for a in aliases if a in by_lower), None) for key, aliases in IMDB_ALIASES.items()}
    if column["title"] is None:
        raise ImportFileError("IMDb export lacks the Title column")
    parsed, skipped = [], []
    for line, row in enumerate(rows, start=2):
        get: Any = lambda key: row.get(column[key] or "", "")  # noqa: E731
        title_type = get("type").replace(" ", "").replace("-", "").lower()
        if title_type and title_type not in IMDB_FILM_TYPES:
            skipped.append(f"line {line}: {get('title')} is a {get('type')}, not a film")
            continue
        rating = rating_from_ten(get("rating"))
        if rating is None:
            skipped.append(f"line {line}: {get('title')} has no 1–10 rating")
            continue
        parsed.append(ImportRow(
            RowKind.RATING, get("title"), parse_year(get("year")), rating=rating, when=parse_when(get("date")),
            imdb_id=get("const") or None, original_title=get("original_title") or None,
        ))
    return parsed, skipped
