"""Scripted Claude verdicts for the Messages API stub (tests/anthropic_stub.py): a reply that scores
whatever candidates the request lists, so the scout's Claude path runs end to end offline."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from tests.anthropic_stub import MEASURED, Reply, tool_use

_CANDIDATES = re.compile(r"<candidates>(.*)</candidates>", re.DOTALL)


def _candidates(request: dict) -> list[dict]:
    for message in request.get("messages", []):
        content = message.get("content")
        text = content if isinstance(content, str) else " ".join(
            part.get("text", "") for part in content or [] if isinstance(part, dict))
        if found := _CANDIDATES.search(text):
            return json.loads(found.group(1))
    return []


def score_every_candidate(request: dict) -> Reply:
    """Confidence from the id (deterministic, 0.55–0.99); the reason cites the film's first genre."""
    films = _candidates(request)
    verdicts = [{
        "movie_id": film["movie_id"],
        "confidence": round(0.55 + (film["movie_id"] * 7919 % 45) / 100, 2),
        "reason": f"Fits your taste for {(film.get('genres') or ['drama'])[0].lower()} films.",
    } for film in films]
    return tool_use({"matches": verdicts}, usage=MEASURED)(request)  # tokens counted from request and reply


def slow_scoring(seconds: float) -> Callable[[dict], Reply]:
    """score_every_candidate after `seconds` (the benchmark's 1 s LLM)."""

    def build(request: dict) -> Reply:
        reply = score_every_candidate(request)
        reply.delay_seconds = seconds
        return reply

    return build
