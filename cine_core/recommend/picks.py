"""The scout's last stage: choose which matches become picks, and store them in `recommendations`.

The SQL lives in `picks.sql`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import psycopg
from psycopg.rows import tuple_row

from cine_core.db import load_sql
from cine_core.domain.models import DiscoverySource, Match, Movie
from cine_core.films.rows import upsert_movies
from cine_core.recommend.franchise import diversify
from cine_core.settings import nudge as streaming_nudge

log = logging.getLogger(__name__)

MAX_PICKS = 30  # stored per user; the dashboard shows the top 12



@dataclass(frozen=True, slots=True)
class ScoredPick:
    """A match chosen to be stored, with where it came from and who judged it."""

    movie_id: int
    confidence: float  # rounded to the column's two decimals
    reason: str
    score: float | None
    discovery_source: DiscoverySource
    matcher: str
    below_threshold: bool


def select_picks(
    matches: Sequence[tuple[Match, str]],
    sources: Mapping[int, DiscoverySource],
    *,
    threshold: float,
    min_picks: int,
    max_picks: int = MAX_PICKS,
    keep_order: bool = False,
) -> list[ScoredPick]:
    """Matches at or above `threshold`, best first; topped up to `min_picks` with the best of the rest,
    marked below_threshold. Confidence is compared after rounding, as it is stored.

    `keep_order`: `matches` are already in the catalog ranker's order (what you would most likely watch and
    like); keep it, and mark the films under the threshold instead of dropping them (the dashboard says so)."""
    ranked = list(matches) if keep_order else sorted(matches, key=lambda pair: (-_confidence(pair[0]),
                                                                                 pair[0].movie_id))
    picks: list[ScoredPick] = []
    for match, matcher in ranked:
        if match.movie_id not in sources:
            continue  # a matcher must not invent films; ignore any it did
        confidence = _confidence(match)
        below = confidence < threshold
        if below and len(picks) >= min_picks and not keep_order:
            break
        picks.append(ScoredPick(match.movie_id, confidence, match.reason.strip(), match.score,
                                sources[match.movie_id], matcher, below))
        if len(picks) >= max_picks:
            break
    if keep_order:
        # Confident picks first, each group in the ranker's order: long shots only fill what confident picks
        # cannot. A deep Trakt history had 10 long shots among its 12 cards while its 5 confident picks sat at
        # positions 19-29 (newcomer check, 2026-12-07).
        picks = [p for p in picks if not p.below_threshold] + [p for p in picks if p.below_threshold]
    return picks


def choose_picks(judged: Mapping[int, tuple[Match, str]], ranked: Sequence[Match], films: Mapping[int, Movie],
                 sources: Mapping[int, DiscoverySource], rated: Sequence[Movie], region: str,
                 services: Sequence[str], *, by_score: bool, threshold: float, min_picks: int) -> list[ScoredPick]:
    """The scout's picks from its judged films: streaming nudge, one film per franchise, then select_picks.
    `by_score`: in the ranker's order (`ranked`), else by confidence (Claude's)."""
    # People who chose their services: films streaming there win close calls (their confidence is restored).
    nudged, true_confidence = streaming_nudge.nudge_streamable(judged, films, region, services)
    # One film per franchise, and no later instalment of a series the person has not started.
    order = {m.movie_id: i for i, m in enumerate(ranked)}
    ordered = sorted(nudged.values(), key=lambda pair: (order.get(pair[0].movie_id, len(order)), pair[0].movie_id)
                     if by_score else (-pair[0].confidence, pair[0].movie_id))
    keep = set(diversify([m.movie_id for m, _ in ordered], films, rated))
    chosen = select_picks([pair for pair in ordered if pair[0].movie_id in keep], sources, threshold=threshold,
                          min_picks=min_picks, keep_order=by_score)
    return streaming_nudge.restore_confidence(chosen, true_confidence, threshold=threshold)


def _confidence(match: Match) -> float:
    value = match.confidence if match.confidence == match.confidence else 0.0  # NaN -> 0
    return round(min(1.0, max(0.0, float(value))), 2)


def watched_history(conn: psycopg.Connection, user_id: str) -> list[tuple[int, float]]:
    """(film, POSIX time) of the films the person watched without rating them (imports, "seen it")."""
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(load_sql(__name__, "watched_history"), {"user_id": user_id}).fetchall()
    return [(int(movie_id), when.timestamp() if when else 0.0) for movie_id, when in rows]


def excluded_movie_ids(conn: psycopg.Connection, user_id: str) -> set[int]:
    """Films never to pick: rated, dismissed ("not interested") or watched from the watchlist."""
    with conn.cursor(row_factory=tuple_row) as cur:
        return {int(row[0]) for row in cur.execute(load_sql(__name__, "excluded_ids"), {"user_id": user_id}).fetchall()}


def current_picks(conn: psycopg.Connection, user_id: str) -> list[tuple[int, str]]:
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(load_sql(__name__, "current_picks"), {"user_id": user_id}).fetchall()
    return [(int(row[0]), str(row[1])) for row in rows]


def store_picks(
    conn: psycopg.Connection,
    user_id: str,
    picks: Sequence[ScoredPick],
    films: Mapping[int, Movie],
    *,
    remove_stale: bool = True,
) -> int:
    """Upsert `picks` (generated_at = now) in the caller's transaction; with remove_stale, delete the
    user's other picks unless they carry feedback. Returns how many picks were removed."""
    conn.execute(load_sql(__name__, "lock_user"), {"user_id": str(user_id)})
    upsert_movies(conn, [films[p.movie_id] for p in picks if p.movie_id in films], partial=True)
    position = {p.movie_id: i for i, p in enumerate(picks, start=1)}  # the order the dashboard shows
    ordered = sorted(picks, key=lambda p: p.movie_id)  # one lock order for every writer
    with conn.cursor() as cur:
        cur.executemany(load_sql(__name__, "upsert_pick"), [
            {"user_id": user_id, "movie_id": p.movie_id, "score": p.score, "reason": p.reason,
             "discovery_source": str(p.discovery_source), "confidence": p.confidence,
             "below_threshold": p.below_threshold, "matcher": p.matcher, "position": position[p.movie_id]}
            for p in ordered
        ])
        if not remove_stale:
            return 0
        cur.execute(load_sql(__name__, "delete_stale"), {"user_id": user_id, "keep": [p.movie_id for p in picks]})
        return cur.rowcount
