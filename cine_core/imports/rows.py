"""What every export parser produces: ImportRows (one film entry each) gathered in a ParsedFile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


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
