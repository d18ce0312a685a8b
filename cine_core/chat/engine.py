"""Choosing the insight extractor: Claude when ANTHROPIC_API_KEY is set (falling back to the local
extractor on any failure, per message), else the local extractor."""

from __future__ import annotations

import logging

import anthropic
import pydantic
from psycopg_pool import ConnectionPool

from cine_core.chat.claude_extractor import ClaudeExtractor
from cine_core.chat.local_extractor import LocalExtractor
from cine_core.config import Settings
from cine_core.domain.errors import LLMError
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import Movie, TasteProfile
from cine_core.domain.protocols import InsightExtractor
from cine_core.llm.fallback import EngineMemory, claude_client_for

log = logging.getLogger(__name__)


class FallbackExtractor(EngineMemory):
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


def build_extractor(
    settings: Settings, pool: ConnectionPool | None, *, client: anthropic.Anthropic | None = None
) -> InsightExtractor:
    """Claude (with the local extractor as fallback) when a key or client is given, else the local one."""
    local = LocalExtractor()
    llm = claude_client_for(settings, pool, client)
    if llm is None:
        return local
    return FallbackExtractor(ClaudeExtractor(llm), local)
