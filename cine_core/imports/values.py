"""Small value parsers shared by the import formats: dates, years and rating scales.

None of them raises: a value that cannot be read is None, and the caller says what it skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, timezone

from cine_core.domain.models import MAX_RATING, MIN_RATING, is_valid_rating

_ISO_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d", "%a %b %d %H:%M:%S %Y",  # pre-2018 IMDb: 'Sun May 14 00:00:00 2017'
)
_MONTH_FIRST = ("%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%m.%d.%Y")
_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_LATEST_UNIX_SECONDS = 4_102_444_800  # 2100-01-01: anything later is not a real timestamp
MIN_YEAR = 1870


def day_first_for(values: Iterable[str | None]) -> bool | None:
    """Whether a column of numeric dates is D/M/Y (True) or M/D/Y (False), decided from the whole column.

    A first part above 12 proves D/M/Y, a second part above 12 proves M/D/Y; None when no value decides.
    """
    for value in values:
        match = _NUMERIC_DATE.match(str(value or ""))
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def parse_when(value: str | int | float | None, *, day_first: bool | None = None) -> datetime | None:
    """A timestamp from an export (ISO date/time, numeric dates, old IMDb style, unix seconds) in UTC."""
    if value in (None, "") or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or str(value).strip().isdigit():
        return _from_unix(value)
    text = str(value).strip()
    numeric = _DAY_FIRST + _MONTH_FIRST if day_first else _MONTH_FIRST + _DAY_FIRST
    for fmt in _ISO_FORMATS + numeric:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _utc(parsed)
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _from_unix(value: str | int | float) -> datetime | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(seconds):
        return None
    seconds = seconds / 1000 if seconds > 1e11 else seconds  # milliseconds
    if not 0 <= seconds < _LATEST_UNIX_SECONDS:
        return None
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _utc(parsed: datetime) -> datetime | None:
    if not MIN_YEAR <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _number(value: str | float | None) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def rating_from_five(value: str | float | None) -> float | None:
    """A 0.5–5 star rating as given (Letterboxd); None if missing, 0 or not in half steps."""
    rating = _number(value)
    return rating if rating is not None and is_valid_rating(rating) else None


def rating_from_ten(value: str | float | None) -> float | None:
    """1–10 (IMDb, Trakt) → 0.5–5: halved, rounded to the nearest half star, at least 0.5."""
    ten = _number(value)
    if ten is None or not 1 <= ten <= 10:
        return None
    return min(MAX_RATING, max(MIN_RATING, math.floor(ten + 0.5) / 2))


def is_unrated(value: str | float | None) -> bool:
    """Empty or 0: 'watched, not rated' in every export that has a rating column."""
    if value is None or str(value).strip() == "":
        return True
    return _number(value) == 0


def parse_year(value: str | int | None) -> int | None:
    """A plausible release year (1870 to five years ahead), from '1999', 1999 or '1999-05-01'."""
    match = re.match(r"\s*(\d{4})", str(value)) if value is not None else None
    if not match:
        return None
    year = int(match.group(1))
    return year if MIN_YEAR <= year <= datetime.now(timezone.utc).year + 5 else None
