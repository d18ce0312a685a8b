"""Computing a pair's joint picks on the server: both members' profiles and ratings, the films neither has
rated, watched or turned down, the catalog ranker once per member, then the weaker-of-two ranking.

Runs over a service connection (the pair's members cannot write joint picks): reading takes one short
transaction, scoring none, writing another that replaces the pair's picks unless the pair ended meanwhile.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import date

from psycopg_pool import ConnectionPool

from cine_core.db import service_transaction
from cine_core.domain.watch import can_stream
from cine_core.night.joint import rank_joint, score_member
from cine_core.night.pairs import current_pair, pair_by_id
from cine_core.night.picks import load_candidates, save_picks, started_at
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.recommend.picks import excluded_movie_ids
from cine_core.recommend.ranker.rank import CatalogRanker, shared_ranker
from cine_core.settings import settings_of_users
from cine_core.taste.store import load_profile, load_rated

log = logging.getLogger(__name__)

JOINT_PICKS = 12  # films on a pair's list


@functools.cache
def _matcher() -> LocalMatcher:
    # Fitted on each call's films (tens of ms): the catalog-wide space takes ~10 s to build, and a person
    # accepting an invite waits for this.
    return LocalMatcher(fit_per_call=True)


def compute_pair(pool: ConnectionPool, pair_id: int, *, default_region: str, limit: int = JOINT_PICKS,
                 matcher: LocalMatcher | None = None, ranker: CatalogRanker | None = None) -> int | None:
    """Compute and store the pair's joint picks; their number, or None if the pair is not (or no longer) active."""
    began = time.perf_counter()
    matcher = matcher or _matcher()
    ranker = ranker or shared_ranker()
    with service_transaction(pool) as conn:
        pair = pair_by_id(conn, pair_id)
        if pair is None or pair.accepted_at is None or pair.ended_at is not None:
            return None
        started = started_at(conn)
        members = pair.members
        profiles = {m: load_profile(conn, m) for m in members}
        rated = {m: load_rated(conn, m) for m in members}
        excluded = excluded_movie_ids(conn, members[0]) | excluded_movie_ids(conn, members[1])
        candidates = load_candidates(conn, members, excluded)
        settings = settings_of_users(conn, list(members), default_region=default_region)
    loaded = time.perf_counter()
    inviter, invitee = (score_member(ranker, matcher, profiles[m], rated[m], candidates, today=date.today())
                        for m in members)
    streamable = {}
    for movie in candidates:
        count = sum(1 for m in members if m in settings and settings[m].streaming_services
                    and can_stream(movie.watch_providers, settings[m].region, settings[m].streaming_services))
        if count:
            streamable[movie.id] = count
    picks = rank_joint(inviter, invitee, streamable, limit=limit)
    scored = time.perf_counter()
    with service_transaction(pool) as conn:
        if not save_picks(conn, pair_id, picks, started=started):
            return None
    log.info("Movie night %s: %d joint picks from %d candidates in %.0f ms (load %.0f, score %.0f, write %.0f)",
             pair_id, len(picks), len(candidates), (time.perf_counter() - began) * 1000, (loaded - began) * 1000,
             (scored - loaded) * 1000, (time.perf_counter() - scored) * 1000)
    return len(picks)


def refresh_stale_pair(pool: ConnectionPool, user_id: str, *, default_region: str) -> int | None:
    """The worker's part after a member's refresh: recompute their pair's joint picks if a member rated,
    watched or turned down a film since (the page never computes while it loads); None when nothing to do."""
    with service_transaction(pool) as conn:
        pair = current_pair(conn, user_id)
    if pair is None or not pair.needs_picks:
        return None
    return compute_pair(pool, pair.id, default_region=default_region)
