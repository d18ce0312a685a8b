"""Shelves below the picks, each ranked for the person by the local scorer (no LLM call):

* a deep dive — when a director (3+ films) or an actor (4+ films, top-billed) stands out among the films
  someone loved (4.5★+), their other films the person has not rated: "Since you loved Denis Villeneuve…";
* the season's films — Halloween, Christmas, Valentine's, summer blockbusters (cine_core.domain.seasons),
  near the dates they belong to.

SQL in shelves.sql; neither shelf ever holds a film the person rated or turned down.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import psycopg

from cine_core.db import load_sql
from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.domain.seasons import Season, season_for
from cine_core.films.rows import row_to_movie

log = logging.getLogger(__name__)

LOVED_RATING = 4.5
DIRECTOR_MIN_LOVED = 3
ACTOR_MIN_LOVED = 4
ACTOR_BILLING = 3  # only the top-billed count: a cameo is not a pattern
SHELF_SIZE = 6
CANDIDATES = 150


@dataclass(frozen=True, slots=True)
class ShelfFilm:
    movie: Movie
    reason: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Shelf:
    key: str  # 'person' | a season's name
    title: str
    subtitle: str
    films: tuple[ShelfFilm, ...]


@dataclass(frozen=True, slots=True)
class Standout:
    """A director or actor behind several films someone loved."""

    name: str
    role: str  # 'director' | 'actor'
    loved: tuple[str, ...]  # titles, best-rated first


def find_standout(rated: Sequence[RatedMovie], profile: TasteProfile) -> Standout | None:
    """The person most present among loved films (directors before actors on a tie), if anyone stands out."""
    loved = sorted((r for r in rated if r.rating >= LOVED_RATING), key=lambda r: (-r.rating, r.movie.title))
    films: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in loved:
        for name in r.movie.directors:
            films[(name, "director")].append(r.movie.title)
        for name in r.movie.cast[:ACTOR_BILLING]:
            films[(name, "actor")].append(r.movie.title)
    removed = {key.removeprefix("person:") for key in profile.removed if key.startswith("person:")}
    counts = Counter({key: len(titles) for key, titles in films.items()
                      if key[0].lower() not in removed
                      and len(titles) >= (DIRECTOR_MIN_LOVED if key[1] == "director" else ACTOR_MIN_LOVED)})
    if not counts:
        return None
    (name, role), _ = min(counts.items(), key=lambda item: (-item[1], item[0][1] != "director", item[0][0]))
    return Standout(name, role, tuple(dict.fromkeys(films[(name, role)])))


def _ranked(matcher: Matcher, profile: TasteProfile, rated: Sequence[RatedMovie],
            candidates: list[Movie]) -> list[tuple[Movie, str, float]]:
    """The shelf's films in the catalog ranker's order (the picks' own), with its confidence; the local matcher
    while the ranker warms up, or for films the ranker does not know."""
    from cine_core.recommend.ranker.rank import history_from, ready_ranker

    by_id = {m.id: m for m in candidates}
    ranker = ready_ranker()
    if ranker is not None:
        ranked = ranker.rank(history_from(rated), among=list(by_id), limit=len(by_id))
        if ranked:
            reasons = {m.movie_id: m.reason for m in matcher.match(profile=profile, rated=rated,
                                                                    candidates=[by_id[f.movie_id] for f in ranked])}
            return [(by_id[f.movie_id], reasons.get(f.movie_id, ""), f.confidence) for f in ranked]
    matches = matcher.match(profile=profile, rated=rated, candidates=candidates)
    matches.sort(key=lambda m: (-(0.0 if math.isnan(m.confidence) else m.confidence), m.movie_id))
    return [(by_id[m.movie_id], m.reason, m.confidence) for m in matches if m.movie_id in by_id]


def _person_reason(standout: Standout, movie: Movie) -> str:
    seen = [t for t in standout.loved if t != movie.title][:2]
    like = " and ".join(seen)
    if standout.role == "director":
        return f"Directed by {standout.name}, like {like}, which you loved."
    return f"With {standout.name}, as in {like}, which you loved."


def person_shelf(conn: psycopg.Connection, matcher: Matcher, user_id: str, profile: TasteProfile,
                 rated: Sequence[RatedMovie], *, today: date) -> Shelf | None:
    """"Since you loved <name>…": their films the person has not rated, best for them first."""
    standout = find_standout(rated, profile)
    if standout is None:
        return None
    rows = conn.execute(load_sql(__name__, "films_of_person"),
                        {"name": standout.name, "user_id": user_id, "today": today,
                         "limit": CANDIDATES}).fetchall()
    ranked = _ranked(matcher, profile, rated, [row_to_movie(r) for r in rows])[:SHELF_SIZE]
    if not ranked:
        return None
    films = tuple(ShelfFilm(movie, _person_reason(standout, movie), conf) for movie, _, conf in ranked)
    work = "films" if standout.role == "director" else "films with them"
    return Shelf("person", f"Since you loved {standout.name}…",
                 f"More {work} you have not rated yet, best for you first.", films)


def seasonal_shelf(conn: psycopg.Connection, matcher: Matcher, user_id: str, profile: TasteProfile,
                   rated: Sequence[RatedMovie], *, today: date) -> Shelf | None:
    """The season's films (if `today` is in one), ranked for the person."""
    season: Season | None = season_for(today)
    if season is None:
        return None
    rows = conn.execute(load_sql(__name__, "seasonal_films"), {
        "user_id": user_id, "min_votes": season.min_votes, "core_keywords": list(season.core_keywords),
        "keywords": list(season.keywords), "genres": list(season.genres), "genre_is_enough": season.genre_is_enough,
        "limit": CANDIDATES}).fetchall()
    ranked = _ranked(matcher, profile, rated, [row_to_movie(r) for r in rows])[:SHELF_SIZE]
    if not ranked:
        return None
    return Shelf(season.name, season.title, "For the season, ranked by your taste.",
                 tuple(ShelfFilm(movie, reason, conf) for movie, reason, conf in ranked))


def list_shelves(conn: psycopg.Connection, matcher: Matcher, user_id: str, profile: TasteProfile,
                 rated: Sequence[RatedMovie], *, today: date) -> list[Shelf]:
    """The shelves that apply today: the deep dive first, then the season's."""
    shelves = [person_shelf(conn, matcher, user_id, profile, rated, today=today),
               seasonal_shelf(conn, matcher, user_id, profile, rated, today=today)]
    return [s for s in shelves if s is not None]
