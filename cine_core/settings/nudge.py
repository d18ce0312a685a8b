"""The scout's nudge towards films a person can stream on their own services.

Selection only: a streamable film counts STREAMABLE_NUDGE higher while the scout chooses which matches
become picks (the 30 stored, the long shots that top up a thin set), then every pick gets its own
confidence back, so the stored numbers stay probabilities of liking the film, not of being able to watch it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from cine_core.domain.models import Match, Movie
from cine_core.domain.watch import can_stream

log = logging.getLogger(__name__)

STREAMABLE_NUDGE = 0.03  # confidence points, during selection only
T = TypeVar("T")


def nudge_streamable(judged: Mapping[int, tuple[Match, T]], films: Mapping[int, Movie], region: str,
                     services: Sequence[str]) -> tuple[dict[int, tuple[Match, T]], dict[int, float]]:
    """(judged with streamable films nudged up, the true confidences to restore); unchanged without services."""
    true_confidence = {movie_id: match.confidence for movie_id, (match, _) in judged.items()}
    if not services:
        return dict(judged), true_confidence
    nudged: dict[int, tuple[Match, T]] = {}
    for movie_id, (match, engine) in judged.items():
        film = films.get(movie_id)
        if film is not None and can_stream(film.watch_providers, region, services):
            match = replace(match, confidence=min(1.0, match.confidence + STREAMABLE_NUDGE))
        nudged[movie_id] = (match, engine)
    log.debug("Streamable nudge: %d of %d matches on the person's services",
              sum(nudged[i][0] is not judged[i][0] for i in nudged), len(nudged))
    return nudged, true_confidence


def restore_confidence(chosen: Sequence[Any], true_confidence: Mapping[int, float], *, threshold: float) -> list[Any]:
    """The chosen picks (dataclasses with movie_id, confidence, below_threshold) with their own confidence."""
    restored = []
    for pick in chosen:
        value = float(true_confidence.get(pick.movie_id, pick.confidence))
        own = round(min(1.0, max(0.0, 0.0 if math.isnan(value) else value)), 2)  # NaN: unscored, stored as 0
        restored.append(replace(pick, confidence=own, below_threshold=own < threshold))
    return restored
