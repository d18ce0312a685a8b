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

import logging
import math
from collections import Counter
from types import MappingProxyType
from typing import Any

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, ParsedFile, RowKind
from cine_core.imports.values import is_unrated, parse_when, parse_year, rating_from_ten

log = logging.getLogger(__name__)

_SECTION_KINDS = {"ratings": "rating", "rated": "rating", "watched": "watched", "history": "watched",
                  "watchlist": "watchlist"}
_NON_FILM_KEYS = ("show", "episode", "season", "person")
_WRAPPERS = ("data", "items", "results")


def parse_trakt(payload: Any, name: str) -> ParsedFile:
    """The ImportRows (and skipped reasons) of decoded Trakt JSON."""
    rows, skipped, not_films = [], [], Counter()
    for hint, items in _sections(payload, name):
        if not isinstance(items, list):
            raise ImportFileError(f"{name}: expected a list of items in the Trakt export")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                skipped.append(f"{name} item {index + 1}: not an object")
                continue
            other = _non_film_type(item)
            if other:
                not_films[other] += 1
                continue
            row, why = _item_to_row(item, hint)
            if row is not None:
                rows.append(row)
            else:
                skipped.append(f"{name} item {index + 1}: {why}")
    if not rows and not skipped and not not_films:
        raise ImportFileError(f"{name} holds no Trakt items")
    return ParsedFile("trakt", tuple(rows), tuple(skipped), MappingProxyType(dict(not_films)))


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
