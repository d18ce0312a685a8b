"""IMDb exports: ratings in every layout since 2017 (and the older 'You rated' one) and the watchlist.

Every row carries its exact IMDb id (`Const`), matched first; `Original Title` (2024+) is kept because the
new layout's `Title` is localised ("Den vilda roboten"). Series, episodes and games are counted by type.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from types import MappingProxyType

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.values import day_first_for, is_unrated, parse_when, parse_year, rating_from_ten

log = logging.getLogger(__name__)

FILM_TYPES = {"movie", "tvmovie", "video", "short", "tvshort", "featurefilm", "shortfilm", "documentary"}
# Column names across IMDb export generations (2024+, 2017-2023, pre-2017), lower-cased.
COLUMNS = {
    "const": ("const",),
    "rating": ("your rating", "you rated"),
    "rated_at": ("date rated",),
    "created": ("created",),
    "title": ("title",),
    "original_title": ("original title",),
    "type": ("title type",),
    "year": ("year",),
}
_IMDB_ID = re.compile(r"^tt\d{5,10}$")


def is_imdb_header(header: list[str]) -> bool:
    lower = {h.lower() for h in header}
    return "const" in lower and "title" in lower


def is_watchlist_header(header: list[str]) -> bool:
    lower = {h.lower() for h in header}
    return "position" in lower and "you rated" not in lower


def parse_imdb_csv(header: list[str], rows: list[dict[str, str]]) -> ParsedFile:
    by_lower = {h.lower(): h for h in header}
    column = {key: next((by_lower[a] for a in aliases if a in by_lower), None) for key, aliases in COLUMNS.items()}
    if column["title"] is None or column["const"] is None:
        raise ImportFileError("The IMDb export lacks the Const or Title column")
    watchlist = is_watchlist_header(header)
    date_column = column["rated_at"] or column["created"]
    day_first = day_first_for([row.get(date_column or "") for row in rows])
    parsed, skipped, not_films = [], [], Counter()
    for line, row in enumerate(rows, start=2):
        def get(key: str, row: dict[str, str] = row) -> str:
            return row.get(column[key] or "", "")

        title_type = get("type")
        if title_type and re.sub(r"[\s\-]", "", title_type).lower() not in FILM_TYPES:
            not_films[_display_type(title_type)] += 1
            continue
        title = get("title") or get("original_title")
        if not title:
            skipped.append(f"line {line}: no title")
            continue
        imdb_id = get("const") if _IMDB_ID.match(get("const")) else None
        common = dict(title=title, year=parse_year(get("year")), imdb_id=imdb_id,
                      original_title=get("original_title") or None)
        rating = rating_from_ten(get("rating"))
        if rating is not None:
            when = parse_when(get("rated_at") or get("created"), day_first=day_first)
            rated_on = parse_when(get("rated_at"), day_first=day_first)  # IMDb's only date of a watch
            parsed.append(ImportRow(RowKind.RATING, rating=rating, when=when, priority=1,
                                    watched_on=rated_on.date() if rated_on else None, **common))
        elif not is_unrated(get("rating")):
            skipped.append(f"line {line}: {title} has rating {get('rating')!r}, not 1–10")
        elif watchlist:
            parsed.append(ImportRow(RowKind.WATCHLIST, when=parse_when(get("created"), day_first=day_first), **common))
        else:
            seen = parse_when(get("rated_at"), day_first=day_first)
            parsed.append(ImportRow(RowKind.WATCHED, when=seen, watched_on=seen.date() if seen else None, **common))
    return ParsedFile("imdb", tuple(parsed), tuple(skipped), MappingProxyType(dict(not_films)))


def _display_type(raw: str) -> str:
    """'tvSeries' and 'TV Series' both read 'TV Series'."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", raw.strip())
    return " ".join(w.upper() if w.lower() == "tv" else w.capitalize() for w in spaced.split())
