"""The scout's last stage: choose which matches become picks, and store them in `recommendations`."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import psycopg
from psycopg.rows import tuple_row

from cine_core.domain.models import DiscoverySource, Match, Movie
from cine_core.films.rows import upsert_movies

log = logging.getLogger(__name__)

MAX_PICKS = 30  # stored per user; the dashboard shows the top 12

# Serialise pick writes per user: a scheduled scout and a queue job may finish at the same moment.
LOCK_USER_SQL = "select pg_advisory_xact_lock(hashtextextended('recommendations:' || %(user_id)s, 0))"
UPSERT_PICK_SQL = """
insert into public.recommendations
       (user_id, movie_id, score, reason, discovery_source, confidence, below_threshold, matcher, generated_at)
values (%(user_id)s, %(movie_id)s, %(score)s, %(reason)s, %(discovery_source)s, %(confidence)s,
        %(below_threshold)s, %(matcher)s, now())
on conflict (user_id, movie_id) do update
   set score = excluded.score, reason = excluded.reason, discovery_source = excluded.discovery_source,
       confidence = excluded.confidence, below_threshold = excluded.below_threshold,
       matcher = excluded.matcher, generated_at = excluded.generated_at
"""
# Picks the user acted on (feedback) stay; every other pick that no longer qualifies goes.
DELETE_STALE_SQL = """
delete from public.recommendations
 where user_id = %(user_id)s and feedback is null and not (movie_id = any(%(keep)s))
"""
EXCLUDED_IDS_SQL = """
select movie_id from public.ratings where user_id = %(user_id)s
union select movie_id from public.recommendations where user_id = %(user_id)s and feedback = 'not_interested'
union select movie_id from public.watchlist where user_id = %(user_id)s and watched_at is not null
"""
CURRENT_PICKS_SQL = """
select movie_id, discovery_source from public.recommendations
 where user_id = %(user_id)s and coalesce(feedback, '') <> 'not_interested'
"""


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
) -> list[ScoredPick]:
    """Matches at or above `threshold`, best first; topped up to `min_picks` with the best of the rest,
    marked below_threshold. Confidence is compared after rounding, as it is stored."""
    ranked = sorted(matches, key=lambda pair: (-_confidence(pair[0]), pair[0].movie_id))
    picks: list[ScoredPick] = []
    for match, matcher in ranked:
        if match.movie_id not in sources:
            continue  # a matcher must not invent films; ignore any it did
        confidence = _confidence(match)
        below = confidence < threshold
        if below and len(picks) >= min_picks:
            break
        picks.append(ScoredPick(match.movie_id, confidence, match.reason.strip(), match.score,
                                sources[match.movie_id], matcher, below))
        if len(picks) >= max_picks:
            break
    return picks


def _confidence(match: Match) -> float:
    value = match.confidence if match.confidence == match.confidence else 0.0  # NaN -> 0
    return round(min(1.0, max(0.0, float(value))), 2)


def excluded_movie_ids(conn: psycopg.Connection, user_id: str) -> set[int]:
    """Films never to pick: rated, dismissed ("not interested") or watched from the watchlist."""
    with conn.cursor(row_factory=tuple_row) as cur:
        return {int(row[0]) for row in cur.execute(EXCLUDED_IDS_SQL, {"user_id": user_id}).fetchall()}


def current_picks(conn: psycopg.Connection, user_id: str) -> list[tuple[int, str]]:
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute(CURRENT_PICKS_SQL, {"user_id": user_id}).fetchall()
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
    conn.execute(LOCK_USER_SQL, {"user_id": str(user_id)})
    upsert_movies(conn, [films[p.movie_id] for p in picks if p.movie_id in films], partial=True)
    ordered = sorted(picks, key=lambda p: p.movie_id)  # one lock order for every writer
    with conn.cursor() as cur:
        cur.executemany(UPSERT_PICK_SQL, [
            {"user_id": user_id, "movie_id": p.movie_id, "score": p.score, "reason": p.reason,
             "discovery_source": str(p.discovery_source), "confidence": p.confidence,
             "below_threshold": p.below_threshold, "matcher": p.matcher}
            for p in ordered
        ])
        if not remove_stale:
            return 0
        cur.execute(DELETE_STALE_SQL, {"user_id": user_id, "keep": [p.movie_id for p in picks]})
        return cur.rowcount
