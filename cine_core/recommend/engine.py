"""Choosing the matcher: Claude when ANTHROPIC_API_KEY is set (falling back to the local scorer on any
failure, per call), else the local scorer."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import anthropic
import pydantic
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.domain.errors import LLMError
from cine_core.domain.models import Match, Movie, RatedMovie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.llm.fallback import EngineMemory, claude_client_for
from cine_core.recommend.claude_scorer import ClaudeMatcher
from cine_core.recommend.local_scorer import LocalMatcher

log = logging.getLogger(__name__)


class FallbackMatcher(EngineMemory):
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


def build_matcher(
    settings: Settings, pool: ConnectionPool | None, *, local: Matcher | None = None,
    client: anthropic.Anthropic | None = None,
) -> Matcher:
    """Claude (with the local matcher as fallback) when a key or client is given, else the local matcher."""
    if local is None:
        local = LocalMatcher()
    llm = claude_client_for(settings, pool, client)
    if llm is None:
        return local
    return FallbackMatcher(ClaudeMatcher(llm), local)
