"""Small value parsers shared by the import formats: dates and rating scales."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from cine_core.domain.models import MAX_RATING, MIN_RATING, is_valid_rating

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",  # pre-2018 IMDb: 'Sun May 14 00:00:00 2017'
    "%m/%d/%Y", "%d/%m/%Y",
)


def parse_when(value: str | int | float | None) -> datetime | None:
    """A timestamp from an export (ISO date/time, old IMDb style, or unix seconds), in UTC; None if unknown."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) or str(value).isdigit():
        seconds = float(value)
        return datetime.fromtimestamp(seconds / 1000 if seconds > 1e11 else seconds, tz=timezone.utc)
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def rating_from_five(value: str | float | None) -> float | None:
    """A 0.5–5 star rating as given (Letterboxd); None if missing or not in half steps."""
    try:
        rating = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return rating if is_valid_rating(rating) else None


def rating_from_ten(value: str | float | None) -> float | None:
    """1–10 (IMDb, Trakt) → 0.5–5: halved, rounded to the nearest half star, at least 0.5."""
    try:
        ten = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not 1 <= ten <= 10:
        return None
    return min(MAX_RATING, max(MIN_RATING, math.floor(ten + 0.5) / 2))


def parse_year(value: str | None) -> int | None:
    try:
        year = int(str(value).strip()[:4])
    except (TypeError, ValueError):
        return None
    return year if 1870 <= year <= datetime.now(timezone.utc).year + 5 else None
