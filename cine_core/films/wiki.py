"""Optional web enrichment: a film's Wikipedia summary (REST API) in `movies.web_enrichment`.

Off when offline (no TMDB key) or CINE_WIKIPEDIA=false. It never raises into the scout: a failure is
logged once, and after a few in a row the enricher stops trying for the rest of the process.
Every request is counted in api_usage (service 'wikipedia').
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timezone
from urllib.parse import quote

import httpx
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.domain.models import Movie
from cine_core.metering.usage import UsageEvent, UsageRecorder

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://en.wikipedia.org/api/rest_v1"
DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)  # seconds
MAX_CONSECUTIVE_FAILURES = 3
USER_AGENT = "CineAI/0.1 (personal movie companion)"


class WikipediaEnricher:
    """Callable: Movie -> Movie with `enrichment['wikipedia']` = {title, extract, url, fetched_at} when found."""

    def __init__(self, *, usage: UsageRecorder | None = None, http_client: httpx.Client | None = None,
                 base_url: str = DEFAULT_BASE_URL, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT) -> None:
        self._usage = usage or UsageRecorder(None)
        self._http = http_client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._failures = 0
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self._failures < MAX_CONSECUTIVE_FAILURES

    def __call__(self, movie: Movie) -> Movie:
        return self.enrich(movie)

    def enrich(self, movie: Movie) -> Movie:
        """The film with its Wikipedia summary added; the film unchanged if none is found or anything fails."""
        if not self.enabled or (movie.enrichment or {}).get("wikipedia"):
            return movie
        for page in _candidate_pages(movie):
            summary = self._summary(page)
            if summary is None:
                if not self.enabled:
                    return movie
                continue
            if _is_about_a_film(summary, movie):
                data = {
                    "title": summary.get("title"),
                    "extract": summary.get("extract", ""),
                    "url": ((summary.get("content_urls") or {}).get("desktop") or {}).get("page"),
                    "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                }
                return dataclasses.replace(movie, enrichment={**(movie.enrichment or {}), "wikipedia": data})
        return movie

    def _summary(self, page: str) -> dict | None:
        url = f"{self._base_url}/page/summary/{quote(page.replace(' ', '_'), safe='')}"
        try:
            response = self._http.get(url, timeout=self._timeout, follow_redirects=True)
        except httpx.HTTPError as exc:
            self._fail(f"{type(exc).__name__}: {exc}")
            return None
        ok = response.status_code in (200, 404)
        self._usage.record(UsageEvent(service="wikipedia", operation="page_summary", ok=ok,
                                      error=None if ok else f"HTTP {response.status_code}"))
        if response.status_code == 404:
            self._failures = 0
            return None
        if response.status_code != 200:
            self._fail(f"HTTP {response.status_code}")
            return None
        try:
            body = response.json()
        except ValueError:
            self._fail("malformed JSON")
            return None
        self._failures = 0
        return body if isinstance(body, dict) else None

    def _fail(self, why: str) -> None:
        self._failures += 1
        if not self._warned:
            self._warned = True
            log.warning("Wikipedia enrichment failed (%s); films are stored without it", why)
        else:
            log.debug("Wikipedia enrichment failed again (%s)", why)
        if self._failures == MAX_CONSECUTIVE_FAILURES:
            log.info("Wikipedia enrichment paused after %d failures in a row", self._failures)


def build_enricher(settings: Settings, pool: ConnectionPool | None = None) -> WikipediaEnricher | None:
    """A WikipediaEnricher, or None when offline (no TMDB key) or CINE_WIKIPEDIA is false."""
    if not (settings.cine_wikipedia and settings.tmdb_online):
        return None
    return WikipediaEnricher(usage=UsageRecorder(pool))



def _candidate_pages(movie: Movie) -> list[str]:
    pages = [f"{movie.title} ({movie.year} film)"] if movie.year else []
    return pages + [f"{movie.title} (film)", movie.title]


def _is_about_a_film(summary: dict, movie: Movie) -> bool:
    if summary.get("type") == "disambiguation":
        return False
    text = f"{summary.get('description', '')} {summary.get('extract', '')}".lower()
    return "film" in text and (movie.year is None or str(movie.year) in text)
