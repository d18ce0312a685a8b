"""Trakt export JSON: ratings-movies.json, watched-movies.json, lists-watchlist.json, and older layouts.

Layouts accepted:
- current (API v2 / trakt export): a list of items, each with a `movie` object carrying `ids.tmdb`, plus
  `rating` + `rated_at` (ratings), `plays` + `last_watched_at` (watched) or `listed_at` (watchlist);
- older nested backups: an object whose sections (`ratings`, `watched`, `watchlist`, optionally under
  `movies`) hold such lists;
- the v1 flat style: items with `title`, `year`, `tmdb_id`, `imdb_id`, `rating_advanced`, `inserted`.
Shows, seasons and episodes are skipped.
"""

from __future__ import annotations

import logging
from typing import Any

from cine_core.domain.errors import ImportFileError
from cine_core.imports.rows import ImportRow, RowKind
from cine_core.imports.values import parse_when, rating_from_ten

log = logging.getLogger(__name__)

_SECTION_KINDS = {"ratings": "rating", "rated": "rating", "watched": "watched", "history": "watched",
                  "watchlist": "watchlist"}
_NON_FILM_KEYS = ("show", "episode", "season", "person")


def parse_trakt(payload: Any, name: str) -> tuple[list, list[str]]:
    """(ImportRows, skipped reasons) from decoded Trakt JSON."""
    sections = _sections(payload, name)
    rows, skipped = [], []
    for hint, items in sections:
        if not isinstance(items, list):
            raise ImportFileError(f"{name}: expected a list of items in the Trakt export")
        for index, item in enumerate(items):
            row, why = _item_to_row(item, hint)
            if row is not None:
                rows.append(row)
            else:
                skipped.append(f"item {index + 1}: {why}")
    if not rows and not skipped:
        raise ImportFileError(f"{name} holds no Trakt items")
    return rows, skipped


def _sections(payload: Any, name: str) -> list[tuple[str | None, Any]]:
    lowered = name.lower()
    hint = next((kind for key, kind in _SECTION_KINDS.items() if key in lowered), None)
    if isinstance(payload, list):
        return [(hint, payload)]
    if isinstance(payload, dict):
        inner = payload.get("movies") if isinstance(payload.get("movies"), dict) else payload
        found = [(kind, inner[key]) for key, kind in _SECTION_KINDS.items() if key in inner]
        if found:
            return found
    raise ImportFileError(f"{name} is JSON but not a Trakt export (expected a list of items or ratings/watched/watchlist)")


def _item_to_row(item: Any, hint: str | None):

    if not isinstance(item, dict):
        return None, "not an object"
    item_type = item.get("type")
    if (item_type and item_type != "movie") or (any(k in item for k in _NON_FILM_KEYS) and "movie" not in item):
        return None, f"a {item_type or next(k for k in _NON_FILM_KEYS if k in item)}, not a film"
    film = item.get("movie") if isinstance(item.get("movie"), dict) else item
    ids = film.get("ids") if isinstance(film.get("ids"), dict) else {}
    title = film.get("title") or ""
    tmdb_id = _int(ids.get("tmdb") or film.get("tmdb_id"))
    imdb_id = ids.get("imdb") or film.get("imdb_id") or None
    if not title and not tmdb_id:
        return None, "no title and no TMDB id"
    year = _int(film.get("year"))

    raw_rating = item.get("rating_advanced", item.get("rating"))  # v1: rating is "love"|"hate"
    if isinstance(raw_rating, dict):  # {"advanced": 8, "simple": "love"}
        raw_rating = raw_rating.get("advanced")
    kind = hint or ("rating" if raw_rating is not None else
                    "watchlist" if "listed_at" in item or "rank" in item else "watched")
    if raw_rating is not None and kind != "watchlist":
        kind = "rating"
    common = dict(title=title or f"TMDB {tmdb_id}", year=year, tmdb_id=tmdb_id, imdb_id=imdb_id)
    if kind == "rating":
        rating = rating_from_ten(raw_rating)
        if rating is None:
            return None, f"{title}: rating {raw_rating!r} is not 1–10"
        when = parse_when(item.get("rated_at") or item.get("inserted"))
        return ImportRow(RowKind.RATING, rating=rating, when=when, **common), ""
    if kind == "watchlist":
        return ImportRow(RowKind.WATCHLIST, when=parse_when(item.get("listed_at") or item.get("inserted")), **common), ""
    when = parse_when(item.get("last_watched_at") or item.get("watched_at") or item.get("inserted"))
    return ImportRow(RowKind.WATCHED, when=when, **common), ""


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
