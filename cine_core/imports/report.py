"""What an import did, counted exactly: added, updated, left alone, not found, not a film."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cine_core.imports.rows import SERVICE_NAMES, ImportRow

SHOWN_UNMATCHED = 10
CATALOG_ENDS_YEAR = 2025  # the bundled catalog runs to mid-2025 (TMDB, when configured, knows newer films)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Counts per kind of write. `unmatched` lists 'Title (Year)' of rows no film could be matched to."""

    service: str
    matched: int
    unmatched: tuple[str, ...]
    skipped: int  # rows that are not films or could not be read
    ratings_added: int = 0
    ratings_updated: int = 0  # the file's value replaced an older one
    ratings_unchanged: int = 0  # already rated with the same value
    ratings_kept: int = 0  # rated again in CineAI after the export: yours kept
    watched_written: int = 0
    watchlist_written: int = 0
    reviews_written: int = 0
    diary_written: int = 0  # dated watches added to the diary
    already_known: int = 0  # watched / watchlist films already there
    repeated_rows: int = 0  # matched rows for a film the file already listed (diary rewatches, duplicates)
    skipped_reasons: tuple[str, ...] = ()
    not_films: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    unmatched_rows: tuple[ImportRow, ...] = ()

    @property
    def ratings_written(self) -> int:
        return self.ratings_added + self.ratings_updated

    @property
    def changed(self) -> bool:
        return bool(self.ratings_written or self.watchlist_written or self.watched_written or self.reviews_written
                    or self.diary_written)

    @property
    def service_name(self) -> str:
        return SERVICE_NAMES.get(self.service, self.service)

    def summary(self) -> str:
        parts = [f"{self.service_name} import: {self.matched:,} matched, {len(self.unmatched):,} unmatched, "
                 f"{self.skipped:,} skipped."]
        ratings = [f"{self.ratings_added:,} added"]
        if self.ratings_updated:
            ratings.append(f"{self.ratings_updated:,} updated to the file's value")
        if self.ratings_unchanged:
            ratings.append(f"{self.ratings_unchanged:,} already rated the same")
        if self.ratings_kept:
            ratings.append(f"{self.ratings_kept:,} kept as you rated them later in CineAI")
        parts.append(f"Ratings: {', '.join(ratings)}.")
        marks = [f"marked {self.watched_written:,} film(s) watched"] if self.watched_written else []
        marks += [f"added {self.watchlist_written:,} to your watchlist"] if self.watchlist_written else []
        if marks or self.already_known:
            already = f" ({self.already_known:,} already there)" if self.already_known else ""
            parts.append(f"{' and '.join(marks).capitalize() or 'Nothing new for the watchlist'}{already}.")
        if self.repeated_rows:
            parts.append(f"{self.repeated_rows:,} row(s) repeat a film the file lists more than once "
                         "(the latest or explicit rating counts).")
        if self.reviews_written:
            parts.append(f"Kept {self.reviews_written:,} review(s) as what you wrote about those films.")
        if self.diary_written:
            parts.append(f"Added {self.diary_written:,} dated watch(es) to your diary.")
        if self.not_films:
            kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.not_films.items(), key=lambda kv: -kv[1]))
            parts.append(f"Not films, skipped: {kinds}.")
        if self.unmatched:
            parts.append(self._not_found())
        return " ".join(parts)

    def _not_found(self) -> str:
        newer = tuple(dict.fromkeys(r.label for r in self.unmatched_rows if r.year and r.year > CATALOG_ENDS_YEAR))
        others = tuple(label for label in self.unmatched if label not in newer)
        parts = [f"Not found: {_listed(others)}."] if others else []
        if newer:
            parts.append(f"Newer than the film catalog (it ends in {CATALOG_ENDS_YEAR}): {_listed(newer)}.")
        return " ".join(parts)

    def unmatched_csv(self) -> str:
        """The rows no film was found for, as CSV (title, year, kind, rating, imdb id, tmdb id)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["Title", "Year", "Kind", "Rating", "IMDb id", "TMDB id"])
        for row in self.unmatched_rows:
            writer.writerow([csv_cell(value) for value in (row.title, row.year or "", row.kind.value, row.rating or "",
                                                           row.imdb_id or "", row.tmdb_id or "")])
        return out.getvalue()

    def to_json(self) -> dict:
        """Plain data for the import job's stored result."""
        return {
            "service": self.service, "matched": self.matched, "unmatched": list(self.unmatched),
            "skipped": self.skipped, "ratings_added": self.ratings_added, "ratings_updated": self.ratings_updated,
            "ratings_unchanged": self.ratings_unchanged, "ratings_kept": self.ratings_kept,
            "watched_written": self.watched_written, "watchlist_written": self.watchlist_written,
            "reviews_written": self.reviews_written, "diary_written": self.diary_written,
            "already_known": self.already_known,
            "repeated_rows": self.repeated_rows,
            "skipped_reasons": list(self.skipped_reasons[:200]), "not_films": dict(self.not_films),
            "summary": self.summary(), "unmatched_csv": self.unmatched_csv(),
        }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (=, +, -, @, tab, CR) gets a leading
    single quote, as OWASP's CSV injection advice says; the csv module quotes separators and quotes."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _listed(labels: tuple[str, ...]) -> str:
    shown = ", ".join(labels[:SHOWN_UNMATCHED])
    return shown + (f" and {len(labels) - SHOWN_UNMATCHED:,} more" if len(labels) > SHOWN_UNMATCHED else "")
