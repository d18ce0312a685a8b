"""Choosing the engines: Claude when ANTHROPIC_API_KEY is set (falling back to the local engine on
any failure, per call), else the local engine."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import anthropic
import pydantic
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.errors import LLMError
from cine_core.insights import ChatInsights
from cine_core.models import Match, Movie, RatedMovie, TasteProfile
from cine_core.protocols import InsightExtractor, Matcher

log = logging.getLogger(__name__)


class _EngineMemory:
    """`last_engine` per thread: the scout runs users concurrently and reads it right after its own call."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def last_engine(self) -> str | None:
        return getattr(self._local, "engine", None)

    @last_engine.setter
    def last_engine(self, engine: str | None) -> None:
        self._local.engine = engine


class FallbackMatcher(_EngineMemory):
    """Tries `primary`; on LLMError or invalid output uses `fallback` for that call.

    `last_engine` names the engine that produced the most recent result ('claude' or 'local'), so
    callers can store which matcher scored a pick.
    """

    def __init__(self, primary: Matcher, fallback: Matcher) -> None:
        super().__init__()
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def match(self, *, profile: TasteProfile, rated: Sequence[RatedMovie], candidates: Sequence[Movie]) -> list[Match]:
        try:
            matches = self.primary.match(profile=profile, rated=rated, candidates=candidates)
            self.last_engine = self.primary.name
            return matches
        except (LLMError, pydantic.ValidationError) as exc:
            log.warning("%s matcher failed for %s (%s); using the %s matcher", self.primary.name, profile.user_id,
                        exc, self.fallback.name)
        self.last_engine = self.fallback.name
        return self.fallback.match(profile=profile, rated=rated, candidates=candidates)


class FallbackExtractor(_EngineMemory):
    """Tries `primary`; on LLMError or invalid output uses `fallback` for that message."""

    def __init__(self, primary: InsightExtractor, fallback: InsightExtractor) -> None:
        super().__init__()
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def extract(self, message: str, *, profile: TasteProfile | None = None, movie: Movie | None = None) -> ChatInsights:
        try:
            insights = self.primary.extract(message, profile=profile, movie=movie)
            self.last_engine = self.primary.name
            return insights
        except (LLMError, pydantic.ValidationError) as exc:
            log.warning("%s extractor failed (%s); using the %s extractor", self.primary.name, exc, self.fallback.name)
        self.last_engine = self.fallback.name
        return self.fallback.extract(message, profile=profile, movie=movie)


def _claude_client(settings: Settings, pool: ConnectionPool | None, client: anthropic.Anthropic | None):
    from cine_core.llm import ClaudeClient

    if client is None and not settings.claude_online:
        return None
    return ClaudeClient.from_settings(settings, pool, client=client)


def build_matcher(
    settings: Settings, pool: ConnectionPool | None, *, local: Matcher | None = None,
    client: anthropic.Anthropic | None = None,
) -> Matcher:
    """Claude (with the local matcher as fallback) when a key or client is given, else the local matcher."""
    if local is None:
        from cine_core.scoring import LocalMatcher

        local = LocalMatcher()
    llm = _claude_client(settings, pool, client)
    if llm is None:
        return local
    from cine_core.claude_matcher import ClaudeMatcher

    return FallbackMatcher(ClaudeMatcher(llm), local)


def build_extractor(
    settings: Settings, pool: ConnectionPool | None, *, client: anthropic.Anthropic | None = None
) -> InsightExtractor:
    """Claude (with the local extractor as fallback) when a key or client is given, else the local one."""
    from cine_core.extract import LocalExtractor

    local = LocalExtractor()
    llm = _claude_client(settings, pool, client)
    if llm is None:
        return local
    from cine_core.claude_extractor import ClaudeExtractor

    return FallbackExtractor(ClaudeExtractor(llm), local)
