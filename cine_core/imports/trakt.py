"""Trakt exports: ratings-movies.json, watched-movies.json, watched-history-*.json, watchlist, older layouts.

Layouts accepted:
- current (API v2 / official export): a list of items, each with a `movie` object carrying `ids.tmdb`,
  plus `rating` + `rated_at` (ratings), `plays` + `last_watched_at` (watched), `watched_at` (history)
  or `listed_at` (watchlist);
- the same list wrapped by backup tools as `{"metadata": …, "data": […]}`;
- older nested backups: an object whose sections (`ratings`, `watched`, `watchlist`, optionally under
  `movies`) hold such lists;
- the v1 flat style: items with `title`, `year`, `tmdb_id`, `imdb_id`, `rating_advanced`, `inserted`.
Shows, seasons and episodes are counted by type and skipped.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from types import MappingProxyType
from typing import Any

import ijson

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.text import MAX_ROWS
from cine_core.imports.values import is_unrated, parse_when, parse_year, rating_from_ten

log = logging.getLogger(__name__)

_SECTION_KINDS = {"ratings": "rating", "rated": "rating", "watched": "watched", "history": "watched",
                  "watchlist": "watchlist"}
_NON_FILM_KEYS = ("show", "episode", "season", "person")
_WRAPPERS = ("data", "items", "results")
MAX_DEPTH = 32  # a Trakt item is 4 levels deep
LENIENT_MAX_BYTES = 4_000_000  # non-standard JSON (NaN, Infinity) is parsed whole only below this size


def parse_trakt_json(data: bytes, name: str) -> ParsedFile:
    """The ImportRows of a Trakt JSON export, read as a stream (ijson): one item in memory at a time, never
    the whole document, and at most MAX_ROWS items (the CSV formats' cap), or an ImportFileError.

    JSON that only Python's own parser reads (NaN, Infinity, as some tools write) is parsed whole when it
    is small (LENIENT_MAX_BYTES), within the same row cap.
    """
    try:
        sections = _stream_sections(data, name)
        found = _Found(name)
        for hint, prefix in sections:
            for item in ijson.items(data, prefix, use_float=True):
                found.add(item, hint)
    except (ijson.JSONError, ValueError) as exc:
        if len(data) <= LENIENT_MAX_BYTES:
            return parse_trakt(_lenient_json(data, name), name)
        raise ImportFileError(f"{name} is not valid JSON: {_first_line(exc)}") from exc
    return found.parsed()


def _lenient_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except RecursionError as exc:
        raise ImportFileError(f"{name} is JSON nested too deeply to be an export") from exc
    except ValueError as exc:
        raise ImportFileError(f"{name} is not valid JSON: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or ["cut short"])[0][:120]


def parse_trakt(payload: Any, name: str) -> ParsedFile:
    """The ImportRows (and skipped reasons) of already decoded Trakt JSON."""
    found = _Found(name)
    for hint, items in _sections(payload, name):
        if not isinstance(items, list):
            raise ImportFileError(f"{name}: expected a list of items in the Trakt export")
        for item in items:
            found.add(item, hint)
    return found.parsed()


class _Found:
    """Rows, skipped reasons and non-film counts, item by item, within the row cap."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: list[ImportRow] = []
        self.skipped: list[str] = []
        self.not_films: Counter[str] = Counter()
        self.items = 0

    def add(self, item: Any, hint: str | None) -> None:
        self.items += 1
        if self.items > MAX_ROWS:
            raise ImportFileError(f"{self.name} has more than {MAX_ROWS:,} items; split it and import the parts")
        if not isinstance(item, dict):
            self.skipped.append(f"{self.name} item {self.items}: not an object")
            return
        other = _non_film_type(item)
        if other:
            self.not_films[other] += 1
            return
        row, why = _item_to_row(item, hint)
        if row is not None:
            self.rows.append(row)
        else:
            self.skipped.append(f"{self.name} item {self.items}: {why}")

    def parsed(self) -> ParsedFile:
        if not self.rows and not self.skipped and not self.not_films:
            raise ImportFileError(f"{self.name} holds no Trakt items")
        return ParsedFile("trakt", tuple(self.rows), tuple(self.skipped), MappingProxyType(dict(self.not_films)))


def _stream_sections(data: bytes, name: str) -> list[tuple[str | None, str]]:
    """(kind hint, ijson prefix of the items) per list of items, by the rules of _sections, from one pass
    over the basic parse events (nothing is built; nesting deeper than MAX_DEPTH is refused first, since
    ijson's prefixes grow with depth)."""
    shapes = _top_shapes(data, name)
    hint = next((kind for key, kind in _SECTION_KINDS.items() if key in name.lower()), None)
    if shapes.get("") == "start_array":
        return [(hint, "item")]
    if shapes.get("") != "start_map":
        raise ImportFileError(f"{name} is JSON but not a Trakt export (expected a list of items or ratings/watched/watchlist)")
    wrapper = next((k for k in _WRAPPERS if shapes.get(k) == "start_array"), None)
    if wrapper is not None:
        return [(hint, f"{wrapper}.item")]
    inner = "movies." if shapes.get("movies") == "start_map" else ""
    found = [(kind, f"{inner}{key}") for key, kind in _SECTION_KINDS.items() if f"{inner}{key}" in shapes]
    if not found:
        raise ImportFileError(f"{name} is JSON but not a Trakt export (expected a list of items or ratings/watched/watchlist)")
    if any(shapes[prefix] != "start_array" for _, prefix in found):
        raise ImportFileError(f"{name}: expected a list of items in the Trakt export")
    return [(kind, f"{prefix}.item") for kind, prefix in found]


def _top_shapes(data: bytes, name: str) -> dict[str, str]:
    """What the document, its keys and the keys of its `movies` object hold: prefix -> 'start_array' |
    'start_map' | 'scalar' (first occurrence)."""
    shapes: dict[str, str] = {}
    stack: list[str | None] = []  # per open container: its prefix while it is a map within two levels, else None
    key = ""
    for event, value in ijson.basic_parse(data):
        if event == "map_key":
            key = value
            continue
        if event in ("end_map", "end_array"):
            stack.pop()
            continue
        parent = stack[-1] if stack else None
        prefix = "" if not stack else (f"{parent}.{key}" if parent else key) if parent is not None else None
        if prefix is not None:
            shapes.setdefault(prefix, event if event in ("start_array", "start_map") else "scalar")
        if event in ("start_map", "start_array"):
            stack.append(prefix if event == "start_map" and len(stack) < 2 else None)
            if len(stack) > MAX_DEPTH:
                raise ImportFileError(f"{name} is JSON nested too deeply to be an export")
    return shapes


def _sections(payload: Any, name: str) -> list[tuple[str | None, Any]]:
    lowered = name.lower()
    hint = next((kind for key, kind in _SECTION_KINDS.items() if key in lowered), None)
    if isinstance(payload, dict):
        wrapped = next((payload[k] for k in _WRAPPERS if isinstance(payload.get(k), list)), None)
        if wrapped is not None:
            payload = wrapped
    if isinstance(payload, list):
        return [(hint, payload)]
    if isinstance(payload, dict):
        inner = payload.get("movies") if isinstance(payload.get("movies"), dict) else payload
        found = [(kind, inner[key]) for key, kind in _SECTION_KINDS.items() if key in inner]
        if found:
            return found
    raise ImportFileError(f"{name} is JSON but not a Trakt export (expected a list of items or ratings/watched/watchlist)")


def _non_film_type(item: dict) -> str | None:
    item_type = item.get("type")
    if isinstance(item_type, str) and item_type and item_type != "movie":
        return item_type
    if "movie" not in item:
        return next((k for k in _NON_FILM_KEYS if k in item), None)
    return None


def _item_to_row(item: dict, hint: str | None) -> tuple[ImportRow | None, str]:
    film = item.get("movie") if isinstance(item.get("movie"), dict) else item
    ids = film.get("ids") if isinstance(film.get("ids"), dict) else {}
    title = film.get("title") if isinstance(film.get("title"), str) else ""
    tmdb_id = _int(ids.get("tmdb") or film.get("tmdb_id"))
    imdb_raw = ids.get("imdb") or film.get("imdb_id")
    imdb_id = imdb_raw if isinstance(imdb_raw, str) and imdb_raw.startswith("tt") else None
    if not title and not tmdb_id and not imdb_id:
        return None, "no title and no film id"
    year = parse_year(_int(film.get("year")))

    raw_rating = item.get("rating_advanced", item.get("rating"))  # v1: rating is "love"|"hate"
    if isinstance(raw_rating, dict):  # {"advanced": 8, "simple": "love"}
        raw_rating = raw_rating.get("advanced")
    if isinstance(raw_rating, bool) or not isinstance(raw_rating, (int, float, str, type(None))):
        return None, f"{title}: rating {raw_rating!r} is not 1–10"
    kind = hint or ("rating" if raw_rating is not None else
                    "watchlist" if "listed_at" in item or "rank" in item else "watched")
    if raw_rating is not None and not is_unrated(raw_rating) and kind != "watchlist":
        kind = "rating"
    common = dict(title=title or f"TMDB {tmdb_id or imdb_id}", year=year, tmdb_id=tmdb_id, imdb_id=imdb_id)
    if kind == "rating" and not is_unrated(raw_rating):
        rating = rating_from_ten(raw_rating)
        if rating is None:
            return None, f"{title}: rating {raw_rating!r} is not 1–10"
        when = parse_when(_text(item.get("rated_at") or item.get("inserted")))
        return ImportRow(RowKind.RATING, rating=rating, when=when, priority=1, **common), ""
    if kind == "watchlist":
        when = parse_when(_text(item.get("listed_at") or item.get("inserted")))
        return ImportRow(RowKind.WATCHLIST, when=when, **common), ""
    watched_at = parse_when(_text(item.get("last_watched_at") or item.get("watched_at")))  # one play
    when = watched_at or parse_when(_text(item.get("inserted")))
    return ImportRow(RowKind.WATCHED, when=when, watched_on=watched_at.date() if watched_at else None, **common), ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**62 else None


def _text(value: Any) -> str | int | float | None:
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
