"""Resolving the films a chat message mentions to ids in the `movies` table (SQL in `resolve.sql`)."""

from __future__ import annotations

import logging

from psycopg.rows import dict_row

from cine_core.db import load_sql
from cine_core.domain.insights import ChatInsights, FilmMention
from cine_core.domain.titles import title_key

log = logging.getLogger(__name__)



def resolve_films(conn, insights: ChatInsights) -> ChatInsights:
    """Fill `movie_id` of each film mention from the `movies` table (exact title, most popular first).

    Ids a model may have supplied are never trusted: every id is looked up again by title.
    """
    if not insights.films:
        return insights
    films = [_resolved(conn, film) for film in insights.films]
    return insights.model_copy(update={"films": films})


def _resolved(conn, film: FilmMention) -> FilmMention:
    movie_id = _lookup(conn, film.title)
    return film if film.movie_id == movie_id else film.model_copy(update={"movie_id": movie_id})


def _lookup(conn, title: str) -> int | None:
    wanted = title.strip().lower()
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(load_sql(__name__, "exact_title"), (wanted,)).fetchone()
        if row is None and title_key(title) != wanted:
            key = title_key(title)
            rows = cur.execute(
                load_sql(__name__, "titles_like"), ("%" + key.replace("%", "").replace("_", "") + "%",)
            ).fetchall()
            row = next((r for r in rows if title_key(r["title"]) == key), None)
    return int(row["id"]) if row else None
