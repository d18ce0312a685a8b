"""Per-call fallback between engines: which engine answered last, remembered per thread."""

from __future__ import annotations

import threading

import anthropic
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.llm.client import ClaudeClient


class EngineMemory:
    """`last_engine` per thread: the scout runs users concurrently and reads it right after its own call."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def last_engine(self) -> str | None:
        return getattr(self._local, "engine", None)

    @last_engine.setter
    def last_engine(self, engine: str | None) -> None:
        self._local.engine = engine


def claude_client_for(
    settings: Settings, pool: ConnectionPool | None, client: anthropic.Anthropic | None
) -> ClaudeClient | None:
    """A ClaudeClient when a client is given or ANTHROPIC_API_KEY is set, else None (use the local engine)."""
    if client is None and not settings.claude_online:
        return None
    return ClaudeClient.from_settings(settings, pool, client=client)
