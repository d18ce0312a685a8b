"""What every export parser produces: ImportRows (one film entry each) gathered in a ParsedFile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

SERVICE_NAMES = {"letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt"}


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
    review: str | None = None  # what the person wrote about the film (Letterboxd reviews), as plain text
    watched_on: date | None = None  # a dated watch for the diary (Letterboxd diary, Trakt plays, IMDb dates)
    rewatch: bool = False  # the source says the person had seen it before (Letterboxd's "Rewatch")

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class ParsedFile:
    service: str  # 'letterboxd' | 'imdb' | 'trakt' (the ratings.source value)
    rows: tuple[ImportRow, ...]
    skipped: tuple[str, ...] = ()  # why each skipped row was skipped
    not_films: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # 'TV Series' -> 12

    @property
    def service_name(self) -> str:
        return SERVICE_NAMES.get(self.service, self.service)


def merge_parsed(service: str, parts: Iterable[ParsedFile]) -> ParsedFile:
    """One ParsedFile from the members of an archive."""
    parts = list(parts)
    not_films: Counter[str] = Counter()
    for part in parts:
        not_films.update(part.not_films)
    return ParsedFile(
        service,
        tuple(row for part in parts for row in part.rows),
        tuple(reason for part in parts for reason in part.skipped),
        MappingProxyType(dict(not_films)),
    )
