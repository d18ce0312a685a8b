"""Parse Letterboxd, IMDb and Trakt export files into ImportRows. Nothing here touches the database.

Every problem with the file itself (not a zip, not UTF-8, wrong columns, not JSON) is an ImportFileError.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

from cine_core.errors import ImportFileError
from cine_core.import_trakt import parse_trakt
from cine_core.import_values import parse_when, rating_from_ten, rating_from_five

log = logging.getLogger(__name__)

LETTERBOXD_FILES = ("ratings.csv", "diary.csv", "watched.csv", "watchlist.csv")
LETTERBOXD_COLUMNS = {"Date", "Name", "Year", "Letterboxd URI"}
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


class RowKind(StrEnum):
    RATING = "rating"
    WATCHED = "watched"  # seen, no rating
    WATCHLIST = "watchlist"


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One film entry from an export, before matching."""

    kind: RowKind
    title: str
    year: int | None = None
    rating: float | None = None  # 0.5–5.0
    when: datetime | None = None  # rated / watched / listed
    tmdb_id: int | None = None
    imdb_id: str | None = None
    original_title: str | None = None
    priority: int = 0  # among rows for one film: higher wins (ratings.csv over diary.csv)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class ParsedFile:
    service: str  # 'letterboxd' | 'imdb' | 'trakt' (the ratings.source value)
    rows: tuple[ImportRow, ...]
    skipped: tuple[str, ...] = field(default_factory=tuple)  # why each skipped row was skipped


def parse_file(path: str | Path) -> ParsedFile:
    """Recognise the export by content (zip, JSON, or CSV header) and parse it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty")
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() == ".zip":
        return _parse_letterboxd_zip(data, path.name)
    text = _decode(data, path.name)
    if text.lstrip().startswith(("[", "{")):
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise ImportFileError(f"{path.name} is not valid JSON: {exc}") from exc
        rows, skipped = parse_trakt(payload, path.name)
        return ParsedFile("trakt", tuple(rows), tuple(skipped))
    return _parse_csv(text, path.name)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name} is not UTF-8 text (byte {exc.start}): is it the right file?") from exc


def _read_csv(text: str, name: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(f"{name} is not a readable CSV file: {exc}") from exc
    header = [h.strip() for h in reader.fieldnames or []]
    if "\x00" in text:
        raise ImportFileError(f"{name} looks like a binary file, not a CSV export")
    return header, [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def _parse_csv(text: str, name: str) -> ParsedFile:
    header, rows = _read_csv(text, name)
    lower = {h.lower() for h in header}
    if LETTERBOXD_COLUMNS <= set(header):
        parsed, skipped = _letterboxd_rows(rows, _letterboxd_kind(name, header), name)
        return ParsedFile("letterboxd", tuple(parsed), tuple(skipped))
    if "const" in lower and lower & {"your rating", "you rated"}:
        parsed, skipped = _imdb_rows(header, rows)
        return ParsedFile("imdb", tuple(parsed), tuple(skipped))
    raise ImportFileError(
        f"{name} is not a Letterboxd, IMDb or Trakt export (columns: {', '.join(header[:8]) or 'none'}). "
        "Expected Letterboxd 'Date,Name,Year,Letterboxd URI…' or IMDb 'Const,Your Rating,…'."
    )


def _parse_letterboxd_zip(data: bytes, name: str) -> ParsedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {Path(n).name.lower(): n for n in archive.namelist() if "/" not in n.strip("/")}
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"{name} is not a valid zip file") from exc
    found = [f for f in LETTERBOXD_FILES if f in members]
    if not found:
        raise ImportFileError(f"{name} has none of {', '.join(LETTERBOXD_FILES)}: is it a Letterboxd export?")
    rows: list[ImportRow] = []
    skipped: list[str] = []
    for member in found:
        try:
            text = _decode(archive.read(members[member]), f"{name}:{member}")
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(f"{name}: cannot read {member}") from exc
        header, csv_rows = _read_csv(text, member)
        if not LETTERBOXD_COLUMNS <= set(header):
            raise ImportFileError(f"{name}:{member} lacks the Letterboxd columns Date,Name,Year,Letterboxd URI")
        more, why = _letterboxd_rows(csv_rows, _letterboxd_kind(member, header), member)
        rows += more
        skipped += why
    return ParsedFile("letterboxd", tuple(rows), tuple(skipped))


def _letterboxd_kind(name: str, header: list[str]) -> str:
    lowered = Path(name).name.lower()
    for kind in ("watchlist", "diary", "ratings", "watched"):
        if kind in lowered:
            return kind
    if "Watched Date" in header:
        return "diary"
    return "ratings" if "Rating" in header else "watched"


def _letterboxd_rows(rows: list[dict[str, str]], kind: str, name: str) -> tuple[list[ImportRow], list[str]]:
    parsed, skipped = [], []
    for line, row in enumerate(rows, start=2):
        title = row.get("Name", "")
        if not title:
            skipped.append(f"{name} line {line}: no film name")
            continue
        year = _year(row.get("Year"))
        when = parse_when(row.get("Watched Date") or row.get("Date"))
        rating = rating_from_five(row.get("Rating"))
        if kind == "watchlist":
            parsed.append(ImportRow(RowKind.WATCHLIST, title, year, when=when))
        elif rating is not None:
            priority = 2 if kind == "ratings" else 1
            parsed.append(ImportRow(RowKind.RATING, title, year, rating=rating, when=when, priority=priority))
        elif row.get("Rating"):
            skipped.append(f"{name} line {line}: rating {row['Rating']!r} is not 0.5–5")
        else:
            parsed.append(ImportRow(RowKind.WATCHED, title, year, when=when))
    return parsed, skipped


def _imdb_rows(header: list[str], rows: list[dict[str, str]]) -> tuple[list[ImportRow], list[str]]:
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
            RowKind.RATING, get("title"), _year(get("year")), rating=rating, when=parse_when(get("date")),
            imdb_id=get("const") or None, original_title=get("original_title") or None,
        ))
    return parsed, skipped


def _year(value: str | None) -> int | None:
    try:
        year = int(str(value).strip()[:4])
    except (TypeError, ValueError):
        return None
    return year if 1870 <= year <= datetime.now(timezone.utc).year + 5 else None
