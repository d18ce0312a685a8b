"""What a message inherits from the conversation: the previous request (a follow-up builds on it), the films
already suggested (never suggested twice), their runtimes ("shorter" is relative to them), and the film a
person picked when CineAI asked "which Dune?"."""

from __future__ import annotations

import logging
from dataclasses import replace

from cine_core.chat._mentions import CatalogIndex, Found
from cine_core.chat.turns import Turn
from cine_core.domain.chat_turn import RequestSpec
from cine_core.domain.insights import ChatInsights
from cine_core.films.rows import movies_by_ids

log = logging.getLogger(__name__)


def previous_request(history: list[Turn]) -> tuple[RequestSpec | None, list[int]]:
    """The latest request in the conversation and every film already suggested in it."""
    previous, shown = None, []
    for turn in history:
        reply = turn.insights.reply
        if reply is not None and reply.request is not None and not reply.undone:
            previous = reply.request
        if reply is not None:
            shown += [s.movie_id for s in reply.suggestions]
    return previous, shown


def shown_runtimes(conn, ids: list[int]) -> list[int]:
    """Runtimes of the last suggestions (what "shorter" is relative to when no film is named)."""
    movies = movies_by_ids(conn, ids)
    return [movies[i].runtime for i in ids if i in movies and movies[i].runtime]


def forced_names(names: list[Found], forced: dict[str, int], index: CatalogIndex) -> list[Found]:
    """The names found, with the film the person chose for an ambiguous title."""
    if not forced:
        return names
    by_id = {m.id: m for m in index.titles.values()}
    out = []
    for found in names:
        chosen = forced.get(found.name.lower())
        movie = by_id.get(chosen) if chosen else None
        out.append(replace(found, movie=movie or found.movie) if chosen else found)
    return out


def force_films(insights: ChatInsights, forced: dict[str, int]) -> ChatInsights:
    if not forced:
        return insights
    films = [f.model_copy(update={"movie_id": forced[f.title.lower()]}) if f.title.lower() in forced else f
             for f in insights.films]
    return insights.model_copy(update={"films": films})


def like_titles(spec: RequestSpec, index: CatalogIndex) -> list[str]:
    """The titles of the films a request is "like", in the request's order."""
    by_id = {m.id: m.title for m in index.titles.values() if m.id in spec.like_ids}
    return [by_id[i] for i in spec.like_ids if i in by_id]
