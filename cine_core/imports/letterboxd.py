"""Letterboxd exports: the ZIP (ratings, diary, watched, watchlist) and its single CSV files."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.text import decode_text, read_csv
from cine_core.imports.values import parse_when, parse_year, rating_from_five

log = logging.getLogger(__name__)

LETTERBOXD_FILES = ("ratings.csv", "diary.csv", "watched.csv", "watchlist.csv")
LETTERBOXD_COLUMNS = {"Date", "Name", "Year", "Letterboxd URI"}


def is_letterboxd_header(header: list[str]) -> bool:
    return LETTERBOXD_COLUMNS <= set(header)


def parse_letterboxd_csv(header: list[str], rows: list[dict[str, str]], name: str) -> ParsedFile:
    parsed, skipped = letterboxd_rows(rows, letterboxd_kind(name, header), name)
    return ParsedFile("letterboxd", tuple(parsed), tuple(skipped))


def parse_letterboxd_zip(data: bytes, name: str) -> ParsedFile:
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
            text = decode_text(archive.read(members[member]), f"{name}:{member}")
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(f"{name}: cannot read {member}") from exc
        header, csv_rows = read_csv(text, member)
        if not LETTERBOXD_COLUMNS <= set(header):
            raise ImportFileError(f"{name}:{member} lacks the Letterboxd columns Date,Name,Year,Letterboxd URI")
        more, why = letterboxd_rows(csv_rows, letterboxd_kind(member, header), member)
        rows += more
        skipped += why
    return ParsedFile("letterboxd", tuple(rows), tuple(skipped))


def letterboxd_kind(name: str, header: list[str]) -> str:
    lowered = Path(name).name.lower()
    for kind in ("watchlist", "diary", "ratings", "watched"):
        if kind in lowered:
            return kind
    if "Watched Date" in header:
        return "diary"
    return "ratings" if "Rating" in header else "watched"


def letterboxd_rows(rows: list[dict[str, str]], kind: str, name: str) -> tuple[list[ImportRow], list[str]]:
    parsed, skipped = [], []
    for line, row in enumerate(rows, start=2):
        title = row.get("Name", "")
        if not title:
            skipped.append(f"{name} line {line}: no film name")
            continue
        year = parse_year(row.get("Year"))
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
