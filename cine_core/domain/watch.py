"""Where to watch a film: TMDB's watch providers (data by JustWatch) for one region, and a person's settings.

Stored as `movies.watch_providers` = {"US": {"link": …, "flatrate": [...], "rent": [...], "buy": [...]}};
"stream" here means a subscription (`flatrate`) or free (`free`, `ads`) offer. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from cine_core.domain.models import TMDB_IMAGE_BASE

STREAM_KINDS = ("flatrate", "free", "ads")  # watchable with a subscription or for free
LOGO_SIZE = "w92"  # one of TMDB's logo sizes
JUSTWATCH_URL = "https://www.justwatch.com"
ATTRIBUTION = "Where-to-watch data by JustWatch, via TMDB"


@dataclass(frozen=True, slots=True)
class Provider:
    """One streaming service or shop, as TMDB names it."""

    id: int
    name: str
    logo_path: str | None = None
    priority: int = 999  # TMDB's display_priority: lower first

    def logo_url(self, size: str = LOGO_SIZE) -> str | None:
        return f"{TMDB_IMAGE_BASE}{size}{self.logo_path}" if self.logo_path else None


@dataclass(frozen=True, slots=True)
class WhereToWatch:
    """A film's offers in one region; never empty (`where_to_watch` returns None instead)."""

    region: str
    link: str | None  # TMDB's watch page for the film (links on to JustWatch)
    stream: tuple[Provider, ...] = ()
    rent: tuple[Provider, ...] = ()
    buy: tuple[Provider, ...] = ()


@dataclass(frozen=True, slots=True)
class UserSettings:
    """A person's settings row (`public.user_settings`); defaults when they never saved any."""

    user_id: str
    region: str
    streaming_services: tuple[str, ...] = ()  # provider names, as TMDB spells them
    weekly_digest: bool = False
    digest_email: str | None = None  # None: the account's email
    digest_day: int | None = None  # 0 = Monday; None: the server's default
    digest_hour: int | None = None  # UTC; None: the server's default
    notify_url: str | None = None  # an Apprise URL for "now on your services" pushes; None: no pushes


def _providers(entries: Any) -> tuple[Provider, ...]:
    if not isinstance(entries, list):
        return ()
    seen: dict[int, Provider] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry.get("provider_name"):
            continue
        pid = int(entry.get("provider_id") or 0)
        if pid not in seen:
            seen[pid] = Provider(pid, str(entry["provider_name"]), entry.get("logo_path") or None,
                                 int(entry.get("display_priority") if entry.get("display_priority") is not None
                                     else 999))
    return tuple(sorted(seen.values(), key=lambda p: (p.priority, p.name)))


def where_to_watch(watch_providers: Mapping[str, Any] | None, region: str) -> WhereToWatch | None:
    """The offers of one region, or None when TMDB listed none (offline films have none at all)."""
    offers = (watch_providers or {}).get(region.upper()) if isinstance(watch_providers, Mapping) else None
    if not isinstance(offers, Mapping):
        return None
    stream = _providers([e for kind in STREAM_KINDS for e in (offers.get(kind) or [])])
    rent, buy = _providers(offers.get("rent")), _providers(offers.get("buy"))
    if not (stream or rent or buy):
        return None
    link = offers.get("link")
    return WhereToWatch(region.upper(), link if isinstance(link, str) else None, stream, rent, buy)


def can_stream(watch_providers: Mapping[str, Any] | None, region: str, services: Collection[str]) -> bool:
    """The film streams (subscription or free) on one of `services` in `region`."""
    offers = where_to_watch(watch_providers, region)
    wanted = {s.casefold() for s in services}
    return offers is not None and any(p.name.casefold() in wanted for p in offers.stream)
