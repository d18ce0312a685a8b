"""Joint picks in the database: what the computation reads and writes, through the security-definer functions
night_pair_inputs / store_night_picks (migration 20261210200100) in a transaction carrying a member's claims;
the candidate films, read as anyone signed in reads films; and what a member reads back (their own
transaction; RLS shows only their pairs' picks). SQL in picks.sql."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from cine_core.db import load_sql
from cine_core.domain.models import Movie
from cine_core.domain.watch import UserSettings
from cine_core.films.rows import row_to_movie
from cine_core.night.joint import JointPick

log = logging.getLogger(__name__)

CANDIDATE_LIMIT = 400  # most popular films considered (plus both members' own picks)
MIN_VOTES = 200  # a film for two should be one people know something about
MIN_RUNTIME = 40  # minutes: features only


@dataclass(frozen=True, slots=True)
class StoredPick:
    """A joint pick as a member reads it: the film, the weaker confidence, and each member's cited film."""

    movie: Movie
    rank: int
    confidence: float
    streamable: int
    inviter_film: str | None
    inviter_rating: float | None
    invitee_film: str | None
    invitee_rating: float | None


@dataclass(frozen=True, slots=True)
class MemberInputs:
    """What the computation reads of one member (night_pair_inputs): never their address or notification URL."""

    user_id: str
    profile: dict[str, Any] | None  # {preferences, version, updated_at} or None (no profile yet)
    ratings: tuple[tuple[int, float, datetime | None, str], ...]  # (film, rating, rated_at, source), oldest first
    excluded: frozenset[int]  # films never to pick for them: rated, turned down, watched
    own_picks: frozenset[int]  # films of their own picks (candidates too)
    settings: UserSettings | None  # None: they never saved settings


@dataclass(frozen=True, slots=True)
class PairInputs:
    started: datetime  # when the inputs were read: a film rated after it leaves the pair stale
    members: tuple[MemberInputs, MemberInputs]  # inviter, invitee


def load_inputs(conn: psycopg.Connection, pair_id: int, *, default_region: str) -> PairInputs | None:
    """Both members' inputs, in a transaction carrying a member's claims; None unless it is their active pair."""
    document = conn.execute(load_sql(__name__, "inputs"), {"pair_id": pair_id}).fetchone()["inputs"]
    if document is None:
        return None
    inviter, invitee = (_member(m, default_region) for m in document["members"])
    return PairInputs(datetime.fromisoformat(document["started_at"]), (inviter, invitee))


def _member(data: dict[str, Any], default_region: str) -> MemberInputs:
    settings = data.get("settings")
    return MemberInputs(
        user_id=data["user_id"], profile=data.get("profile"),
        ratings=tuple((int(film), float(rating), datetime.fromisoformat(at) if at else None, source)
                      for film, rating, at, source in data["ratings"]),
        excluded=frozenset(int(i) for i in data["excluded"]), own_picks=frozenset(int(i) for i in data["picks"]),
        settings=None if settings is None else UserSettings(
            data["user_id"], settings.get("region") or default_region,
            tuple(settings.get("streaming_services") or ())))


def load_candidates(conn: psycopg.Connection, own_picks: set[int], excluded: set[int]) -> list[Movie]:
    """Well-known released features not in `excluded`, most popular first, plus the members' own picks."""
    rows = conn.execute(load_sql(__name__, "candidates"), {
        "own_picks": sorted(own_picks), "excluded": sorted(excluded), "min_votes": MIN_VOTES,
        "min_runtime": MIN_RUNTIME, "limit": CANDIDATE_LIMIT}).fetchall()
    return [row_to_movie(row) for row in rows]


def save_picks(conn: psycopg.Connection, pair_id: int, picks: Sequence[JointPick], *, started: datetime) -> bool:
    """Replace the pair's picks (store_night_picks, in a transaction carrying a member's claims); False, writing
    nothing, if the pair ended meanwhile. The function keeps a cited film only where its member rated it 4 or
    more, with the stored rating."""
    document = [{
        "movie_id": p.movie_id, "rank": p.rank, "confidence": p.confidence, "streamable": p.streamable,
        "inviter_film_id": p.inviter_evidence.movie.id if p.inviter_evidence else None,
        "invitee_film_id": p.invitee_evidence.movie.id if p.invitee_evidence else None,
    } for p in picks]
    return bool(conn.execute(load_sql(__name__, "store"), {"pair_id": pair_id, "started": started,
                                                           "picks": Jsonb(document)}).fetchone()["stored"])


def _rating(value) -> float | None:
    return float(value) if value is not None else None


def load_picks(conn: psycopg.Connection, pair_id: int) -> list[StoredPick]:
    """The pair's joint picks, best first (in a member's transaction: nothing for anyone else)."""
    return [StoredPick(row_to_movie(row), int(row["joint_rank"]), float(row["joint_confidence"]),
                       int(row["joint_streamable"]), row["inviter_film_title"], _rating(row["inviter_film_rating"]),
                       row["invitee_film_title"], _rating(row["invitee_film_rating"]))
            for row in conn.execute(load_sql(__name__, "joint_picks"), {"pair_id": pair_id}).fetchall()]
