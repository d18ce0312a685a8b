"""The scout: keep one person's picks fresh. candidates → enrich → pre-rank → match → store.

- Candidates come from the shared MovieStore (cache first); see candidates.py.
- The local matcher pre-ranks everything, each film with the configuration the benchmark measured for where
  it was found (trending list vs catalog-wide: `config_for_source`); the top K go to the configured matcher
  (Claude when a key is set: at most one call per user and pass), unless neither the profile version nor that
  top-K set changed since the last analysis — then the stored picks stand and no LLM call is made.
- Claude is paid once per verdict: of the top K it is sent only the films without a stored verdict for the
  person's taste fingerprint, and the stored ones are reused (verdicts.py says what invalidates them).
  `ScoutContext.reuse_verdicts=False` is the previous design (all K films on every call), for bench.cost.
- A scheduled pass with `ctx.batches` (CINE_LLM_BATCHES, on by default with a key) writes the local picks at
  once and queues the films without a verdict for the pass's Message Batch; the worker applies the results
  when they arrive (verdict_batches.py). Without batches the call is made at once (claude_verdicts.py).
- A quick refresh (queue jobs) re-scores the last candidate set and current picks with the changed
  profile, plus films similar to the newest liked one; it never waits for trending, nor for Claude: it uses
  the stored verdicts that still hold and the local engine for the rest, whose verdicts the next scheduled
  pass buys (`ScoutContext.defer_quick_calls`).
- When a source fails the pass finishes with what it has, records the error in `scout_state`
  (the TMDB client records its own in `api_usage`), and keeps the existing picks.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from psycopg import Connection
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.models import Candidate, DiscoverySource, Match, Movie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.recommend import candidates as cands
from cine_core.recommend import picks as picks_mod
from cine_core.recommend import scout_state
from cine_core.recommend.catalog_picks import person_history, rank_candidates
from cine_core.recommend.claude_verdicts import claude_verdicts
from cine_core.recommend.ranker.rank import CatalogRanker
from cine_core.recommend.config import CATALOG_WIDE_SOURCES, config_for_source
from cine_core.recommend.franchise import diversify
from cine_core.recommend.verdict_batches import VerdictBatches
from cine_core.recommend.verdicts import align_to_local
from cine_core.settings import nudge as streaming_nudge
from cine_core.settings import store as settings_store
from cine_core.taste import store as taste_store

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 1000
ENRICH_PER_TOP_K = 2  # films enriched (detail calls) per film the matcher will see
MIN_ENRICHED = 40
ROTATE_SHOWN = 12  # a manual refresh with an unchanged taste replaces the picks the dashboard showed


@dataclass(frozen=True, slots=True)
class ScoutContext:
    """What a scout needs; built once per worker process and shared by its threads."""

    pool: ConnectionPool
    settings: Settings
    store: cands.CandidateStore
    matcher: Matcher  # the configured one (Claude with local fallback, or local)
    local: Matcher  # the pre-ranker for films from trending lists (and for all films when catalog_local is None)
    catalog_local: Matcher | None = None  # the pre-ranker for films found across the catalog (config_for_source)
    reuse_verdicts: bool = True  # False: every call re-buys all top-K verdicts (the previous design, for bench.cost)
    defer_quick_calls: bool = True  # False: a quick refresh calls Claude too (the previous design, for bench.cost)
    batches: VerdictBatches | None = None  # scheduled passes queue their requests for a batch (None: call at once)
    ranker: CatalogRanker | None = None  # the whole-catalog ranker (None: the previous engine, for benchmarks)
    today: Callable[[], date] = date.today  # the ranking's reference date (a benchmark sets its cut)


@dataclass(frozen=True, slots=True)
class ScoutResult:
    """What one scout of one user did."""

    user_id: str
    quick: bool
    candidates: int
    picks: int  # stored at or above the threshold
    below_threshold: int  # stored as fillers
    removed: int
    llm_called: bool
    reused: bool  # nothing changed since the last analysis: stored picks kept as they are
    errors: tuple[str, ...] = ()
    batched: bool = False  # films without a verdict were queued for the pass's batch (verdict_batches.py)


def build_scout_context(settings: Settings, pool: ConnectionPool, *, matcher: Matcher | None = None) -> ScoutContext:
    """MovieStore over the configured source, the local pre-ranker and the configured matcher.

    Sets BLAS to one thread for the process: the worker's lanes are its parallelism, and a multi-threaded
    OpenBLAS turns the scorer's small products into thread hand-offs (a 30,000-element norm took 40x longer on
    2 busy cores)."""
    from threadpoolctl import threadpool_limits

    from cine_core.films.cache import MovieStore
    from cine_core.films.source import build_movie_source
    from cine_core.films.wiki import build_enricher
    from cine_core.metering.usage import UsageRecorder
    from cine_core.recommend.local_scorer import LocalMatcher

    threadpool_limits(1, user_api="blas")
    store = MovieStore(pool, build_movie_source(settings, pool), ttl=timedelta(days=settings.tmdb_cache_ttl_days),
                       usage=UsageRecorder(pool), enrich=build_enricher(settings, pool))
    local = LocalMatcher(config_for_source(DiscoverySource.TRENDING))
    catalog_local = LocalMatcher(config_for_source(DiscoverySource.SIMILAR_TO_RATED))
    if matcher is None:
        from cine_core.recommend.engine import build_matcher

        matcher = build_matcher(settings, pool, local=local)
    batches = VerdictBatches.from_settings(settings, pool) if matcher.name != local.name else None
    return ScoutContext(pool=pool, settings=settings, store=store, matcher=matcher, local=local,
                        catalog_local=catalog_local, batches=batches, ranker=CatalogRanker())


def warm_up(ctx: ScoutContext) -> None:
    """Load what the first scout would otherwise wait for: the film source's index and the matcher's
    feature space (a worker calls this at start so the first refresh is as fast as the rest)."""
    ctx.local.match(profile=TasteProfile(), rated=[], candidates=ctx.store.trending("day", limit=1))
    if ctx.ranker is not None:
        ctx.ranker.rank([], limit=1)


def has_stated_taste(profile: TasteProfile) -> bool:
    """Something to match against besides ratings: a 👍, or a like said in chat."""
    maps = (profile.genres, profile.keywords, profile.people, profile.themes, profile.moods, profile.visual_style)
    return any(v > 0 for values in maps for v in values.values())


def _groups(ctx: ScoutContext, candidates: list[Candidate]) -> list[tuple[Matcher, list[Movie]]]:
    """The candidates by the matcher measured for where they were found (`config_for_source`)."""
    groups: dict[bool, list[Movie]] = {}
    for c in candidates:
        wide = ctx.catalog_local is not None and c.discovery_source in CATALOG_WIDE_SOURCES
        groups.setdefault(wide, []).append(c.movie)
    return [(ctx.catalog_local if wide and ctx.catalog_local is not None else ctx.local, films)
            for wide, films in groups.items()]


def rank_locally(ctx: ScoutContext, profile: TasteProfile, rated: list, candidates: list[Candidate]) -> list[Match]:
    """Local matches, best (highest calibrated confidence) first: each candidate scored by the configuration
    measured for where it was found (`config_for_source`), within the list of films found the same way."""
    matches: list[Match] = []
    for matcher, films in _groups(ctx, candidates):
        matches += matcher.match(profile=profile, rated=rated, candidates=films)
    return sorted(matches, key=lambda m: -m.confidence)  # stable: each group keeps its score order


def prerank_locally(ctx: ScoutContext, profile: TasteProfile, rated: list, candidates: list[Candidate]) -> list[int]:
    """rank_locally's order of the film ids, without its reasons (LocalMatcher.order) when the matchers can."""
    ordered: list[tuple[int, float]] = []
    for matcher, films in _groups(ctx, candidates):
        order = getattr(matcher, "order", None)
        if order is not None:
            ordered += order(profile=profile, rated=rated, candidates=films)
        else:
            ordered += [(m.movie_id, m.confidence) for m in matcher.match(profile=profile, rated=rated, candidates=films)]
    return [movie_id for movie_id, _ in sorted(ordered, key=lambda pair: -pair[1])]


def candidate_hash(profile_version: int, movie_ids: list[int]) -> str:
    """Identity of one analysis: the taste version and the set of films sent to the matcher."""
    text = f"{profile_version}:" + ",".join(str(i) for i in sorted(movie_ids))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def scout_user(ctx: ScoutContext, user_id: str, *, quick: bool = False, manual: bool = False,
               movie_id: int | None = None, before_store: Callable[[Connection], None] | None = None) -> ScoutResult:
    """Refresh one user's picks; see the module docstring. Raises only if the database fails.

    `manual` (the Refresh button) always produces a new set: a full scout that never reuses the last
    analysis, and, when the taste has not changed since, the picks already shown make room for the next best.
    """
    user_id = str(user_id)
    with transaction(ctx.pool) as conn:
        profile = taste_store.refresh_profile(conn, user_id)
        rated = taste_store.load_rated(conn, user_id)
        excluded = picks_mod.excluded_movie_ids(conn, user_id)
        state = scout_state.load_state(conn, user_id)
        current = picks_mod.current_picks(conn, user_id)
        region, services = settings_store.streaming_services(conn, user_id, default_region=ctx.settings.default_region)
        thumbs = [(f.movie.id, f.kind) for f in taste_store.load_feedback(conn, user_id)]
        watched = picks_mod.watched_history(conn, user_id) if ctx.ranker is not None else []

    if not rated and not watched and not has_stated_taste(profile):
        # Cold start: nothing to match against. The dashboard's fallback (acclaimed popular films) is a
        # better shelf than trending films ranked by a prior, so no picks are stored until there is a taste.
        log.info("Scout %s: no ratings or stated taste yet; the fallback shelf stays", user_id)
        return ScoutResult(user_id, quick, 0, 0, 0, 0, llm_called=False, reused=False)
    previous = list(zip(state.candidate_ids, state.candidate_sources, strict=True)) + current
    if manual:
        quick = False
        if state.profile_version == profile.version:  # same taste: rotate, the person has seen these
            excluded = excluded | {movie_id for movie_id, _ in current[:ROTATE_SHOWN]}
    if quick and previous:
        found = cands.gather_quick(ctx.store, rated, previous, movie_id)  # movie_id: the film that triggered it
    else:
        quick = False
        found = cands.gather(ctx.store, profile, rated)
    errors = found.errors
    shortlist = found.without(excluded)
    enrich_limit = max(ENRICH_PER_TOP_K * ctx.settings.llm_top_k, MIN_ENRICHED)
    if len(shortlist) > enrich_limit:
        # Rank on what the lists gave (cached rows, often complete) and fetch details only for the
        # best: TMDB detail calls per user stay bounded however many lists a user's taste opens.
        keep = set(prerank_locally(ctx, profile, rated, shortlist)[:enrich_limit])
        shortlist = [c for c in shortlist if c.movie.id in keep]
    candidates = cands.enrich(ctx.store, shortlist, errors)
    sources = {c.movie.id: c.discovery_source for c in candidates}
    films = {c.movie.id: c.movie for c in candidates}

    if ctx.ranker is not None:
        # One model over the whole catalog and the films the lists found (catalog_picks.py).
        both = rank_candidates(ctx.ranker, ctx.local, profile=profile, rated=rated,
                               history=person_history(rated, watched, thumbs), found=candidates,
                               excluded=excluded, today=ctx.today())
        ranked, candidates = both.matches, both.candidates
        sources = {c.movie.id: c.discovery_source for c in candidates}
        films = {c.movie.id: c.movie for c in candidates}
    else:
        ranked = rank_locally(ctx, profile, rated, candidates)
    top = [m.movie_id for m in ranked[: ctx.settings.llm_top_k]]
    analysis = candidate_hash(profile.version, top)
    error_text = "; ".join(errors)[:MAX_ERROR_CHARS] or None
    if not manual and state.candidate_hash == analysis and state.matcher == ctx.matcher.name:
        with transaction(ctx.pool) as conn:
            scout_state.save_visit(conn, user_id, last_error=error_text)
        log.info("Scout %s: nothing changed (profile v%s), picks kept", user_id, profile.version)
        return ScoutResult(user_id, quick, len(candidates), 0, 0, 0, llm_called=False, reused=True,
                           errors=tuple(errors))

    judged: dict[int, tuple[Match, str]] = {m.movie_id: (m, ctx.local.name) for m in ranked}
    engine, llm_called, batched = ctx.matcher.name, False, False
    if ctx.matcher.name != ctx.local.name and top:
        may_call = not (quick and ctx.defer_quick_calls)
        asked = claude_verdicts(ctx, user_id, profile, rated, thumbs, top, films, may_call=may_call,
                                batch=not quick and not manual)
        verdicts, engines, engine, llm_called, batched = (asked.verdicts, asked.engines, asked.engine,
                                                          asked.called, asked.batched)
        error_text = "; ".join(filter(None, [error_text, asked.capped]))[:MAX_ERROR_CHARS] or None
        # One confidence scale: Claude re-orders the shortlist and explains; the numbers stay the local
        # calibrated probabilities (verdicts.py). A local fallback's own numbers are already on that scale
        # but come from a call on the shortlist alone, so they are realigned the same way.
        for match in align_to_local(verdicts, [judged[i][0] for i in top if i in judged]):
            if match.movie_id in films:  # Claude writes reasons only for films it rates highly: else the local one
                reason = match.reason or judged[match.movie_id][0].reason
                judged[match.movie_id] = (replace(match, reason=reason), engines[match.movie_id])

    # People who chose their services: films streaming there win close calls (their confidence is restored).
    judged, true_confidence = streaming_nudge.nudge_streamable(judged, films, region, services)
    # One film per franchise, and no later instalment of a series the person has not started.
    by_score = ctx.ranker is not None and engine == ctx.local.name  # the ranker's order (else Claude's, by confidence)
    order = {m.movie_id: i for i, m in enumerate(ranked)}
    ordered = sorted(judged.values(), key=lambda pair: (order.get(pair[0].movie_id, len(order)), pair[0].movie_id)
                     if by_score else (-pair[0].confidence, pair[0].movie_id))
    keep = set(diversify([m.movie_id for m, _ in ordered], films, [r.movie for r in rated]))
    chosen = picks_mod.select_picks(
        [pair for pair in ordered if pair[0].movie_id in keep], sources, threshold=ctx.settings.pick_threshold,
        min_picks=ctx.settings.min_picks, keep_order=by_score)
    chosen = streaming_nudge.restore_confidence(chosen, true_confidence, threshold=ctx.settings.pick_threshold)
    with transaction(ctx.pool) as conn:
        if before_store is not None:  # the worker's lease check (job_lease.assert_lease): may raise
            before_store(conn)
        # With a source down the candidate set is partial: add what was found, evict nothing.
        removed = picks_mod.store_picks(conn, user_id, chosen, films, remove_stale=not errors)
        scout_state.save_analysis(
            conn, user_id, profile_version=profile.version,
            candidate_hash=analysis,
            candidates=_candidate_list(candidates), matcher=engine,
            last_error=error_text)
    result = ScoutResult(
        user_id, quick, len(candidates), sum(not p.below_threshold for p in chosen),
        sum(p.below_threshold for p in chosen), removed, llm_called=llm_called, reused=False, errors=tuple(errors),
        batched=batched)
    log.info("Scout %s%s: %d candidates, %d picks (+%d below threshold), %d removed%s", user_id,
             " (quick)" if quick else "", result.candidates, result.picks, result.below_threshold, removed,
             f", errors: {error_text}" if errors else "")
    return result


def _candidate_list(candidates: list[Candidate]) -> list[tuple[int, str]]:
    return [(c.movie.id, str(c.discovery_source)) for c in candidates]


__all__ = ["ScoutContext", "ScoutResult", "build_scout_context", "candidate_hash", "scout_user", "warm_up"]
