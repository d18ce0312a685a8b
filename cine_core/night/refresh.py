"""Computing a pair's joint picks for one of its members: both members' profiles and ratings, the films
neither has rated, watched or turned down, the catalog ranker once per member, then the weaker-of-two ranking.

No service rights: the app (for a signed-in member) and the worker (after a member's refresh) read and write
through night_pair_inputs / store_night_picks in a transaction carrying that member's claims, and read films as
anyone signed in does. Reading takes one short transaction, scoring none, writing another that replaces the
pair's picks unless the pair ended meanwhile.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import date, datetime

from psycopg_pool import ConnectionPool

from cine_core.db import app_transaction, service_transaction, shared_transaction, user_transaction
from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.domain.watch import can_stream
from cine_core.films.rows import movies_by_ids
from cine_core.night.joint import rank_joint, score_member
from cine_core.night.pairs import current_pair, pair_by_id
from cine_core.night.picks import MemberInputs, load_candidates, load_inputs, save_picks
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.recommend.ranker.rank import CatalogRanker, shared_ranker
from cine_core.taste.store import profile_from_json

log = logging.getLogger(__name__)

JOINT_PICKS = 12  # films on a pair's list


@functools.cache
def _matcher() -> LocalMatcher:
    # Fitted on each call's films (tens of ms): the catalog-wide space takes ~10 s to build, and a person
    # accepting an invite waits for this.
    return LocalMatcher(fit_per_call=True)


def compute_pair(pool: ConnectionPool, pair_id: int, *, default_region: str, member: str | None = None,
                 limit: int = JOINT_PICKS, matcher: LocalMatcher | None = None,
                 ranker: CatalogRanker | None = None) -> int | None:
    """Compute and store the pair's joint picks for `member` (one of the pair); their number, or None if the
    pair is not (or no longer) an active pair of theirs. `member` None: the inviter, looked up with service
    rights (the worker's pool and tests only; the app's pool has none)."""
    began = time.perf_counter()
    matcher = matcher or _matcher()
    ranker = ranker or shared_ranker()
    member = member or _inviter(pool, pair_id)
    if member is None:
        return None
    with app_transaction(pool, user_id=member) as conn:
        inputs = load_inputs(conn, pair_id, default_region=default_region)
    if inputs is None:
        return None
    with shared_transaction(pool) as conn:
        films = movies_by_ids(conn, {film for m in inputs.members for film, *_ in m.ratings})
        candidates = load_candidates(conn, set().union(*(m.own_picks for m in inputs.members)),
                                     set().union(*(m.excluded for m in inputs.members)))
    loaded = time.perf_counter()
    inviter, invitee = (score_member(ranker, matcher, _profile(m), _rated(m, films), candidates, today=date.today())
                        for m in inputs.members)
    streamable = {}
    for movie in candidates:
        count = sum(1 for m in inputs.members if m.settings is not None and m.settings.streaming_services
                    and can_stream(movie.watch_providers, m.settings.region, m.settings.streaming_services))
        if count:
            streamable[movie.id] = count
    picks = rank_joint(inviter, invitee, streamable, limit=limit)
    scored = time.perf_counter()
    with app_transaction(pool, user_id=member) as conn:
        if not save_picks(conn, pair_id, picks, started=inputs.started):
            return None
    log.info("Movie night %s: %d joint picks from %d candidates in %.0f ms (load %.0f, score %.0f, write %.0f)",
             pair_id, len(picks), len(candidates), (time.perf_counter() - began) * 1000, (loaded - began) * 1000,
             (scored - loaded) * 1000, (time.perf_counter() - scored) * 1000)
    return len(picks)


def refresh_stale_pair(pool: ConnectionPool, user_id: str, *, default_region: str) -> int | None:
    """The worker's part after a member's refresh: recompute their pair's joint picks if a member rated,
    watched or turned down a film since (the page never computes while it loads); None when nothing to do."""
    with user_transaction(pool, user_id) as conn:
        pair = current_pair(conn, user_id)
    if pair is None or not pair.needs_picks:
        return None
    return compute_pair(pool, pair.id, default_region=default_region, member=user_id)


def _inviter(pool: ConnectionPool, pair_id: int) -> str | None:
    with service_transaction(pool) as conn:
        pair = pair_by_id(conn, pair_id)
    return pair.inviter_id if pair is not None else None


def _profile(member: MemberInputs) -> TasteProfile:
    stored = member.profile
    if stored is None:
        return TasteProfile(user_id=member.user_id)
    updated = datetime.fromisoformat(stored["updated_at"]) if stored.get("updated_at") else None
    return profile_from_json(stored["preferences"], user_id=member.user_id, version=stored["version"],
                             updated_at=updated)


def _rated(member: MemberInputs, films: dict[int, Movie]) -> list[RatedMovie]:
    """The member's ratings with their films, oldest first (as taste.store.load_rated reads them)."""
    return [RatedMovie(films[film], rating, at, source) for film, rating, at, source in member.ratings if film in films]
