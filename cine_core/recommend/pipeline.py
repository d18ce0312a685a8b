"""The scout: keep one person's picks fresh. candidates → enrich → pre-rank → match → store.

- Candidates come from the shared MovieStore (cache first); see candidates.py.
- The local matcher pre-ranks everything, each film with the configuration the benchmark measured for where
  it was found (trending list vs catalog-wide: `config_for_source`); the top K go to the configured matcher
  (Claude when a key is set: at most one call per user and pass), unless neither the profile version nor that
  top-K set changed since the last analysis — then the stored picks stand and no LLM call is made.
- Claude is paid once per verdict: of the top K it is sent only the films without a stored verdict for the
  person's taste fingerprint, and the stored ones are reused (verdicts.py says what invalidates them).
  `ScoutContext.reuse_verdicts=False` is the previous design (all K films on every call), for bench.cost.
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
from dataclasses import dataclass
from datetime import timedelta

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.models import Candidate, DiscoverySource, Match, Movie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.llm.budget import claude_allowed
from cine_core.recommend import candidates as cands
from cine_core.recommend import picks as picks_mod
from cine_core.recommend import scout_state
from cine_core.recommend import verdicts as verdict_store
from cine_core.recommend.claude_scorer import OPERATION as MATCH_OPERATION
from cine_core.recommend.config import CATALOG_WIDE_SOURCES, config_for_source
from cine_core.recommend.franchise import diversify
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


def build_scout_context(settings: Settings, pool: ConnectionPool, *, matcher: Matcher | None = None) -> ScoutContext:
    """MovieStore over the configured source, the local pre-ranker and the configured matcher."""
    from cine_core.films.cache import MovieStore
    from cine_core.films.source import build_movie_source
    from cine_core.films.wiki import build_enricher
    from cine_core.metering.usage import UsageRecorder
    from cine_core.recommend.local_scorer import LocalMatcher

    store = MovieStore(pool, build_movie_source(settings, pool), ttl=timedelta(days=settings.tmdb_cache_ttl_days),
                       usage=UsageRecorder(pool), enrich=build_enricher(settings, pool))
    local = LocalMatcher(config_for_source(DiscoverySource.TRENDING))
    catalog_local = LocalMatcher(config_for_source(DiscoverySource.SIMILAR_TO_RATED))
    if matcher is None:
        from cine_core.recommend.engine import build_matcher

        matcher = build_matcher(settings, pool, local=local)
    return ScoutContext(pool=pool, settings=settings, store=store, matcher=matcher, local=local,
                        catalog_local=catalog_local)


def warm_up(ctx: ScoutContext) -> None:
    """Load what the first scout would otherwise wait for: the film source's index and the matcher's
    feature space (a worker calls this at start so the first refresh is as fast as the rest)."""
    ctx.local.match(profile=TasteProfile(), rated=[], candidates=ctx.store.trending("day", limit=1))


def has_stated_taste(profile: TasteProfile) -> bool:
    """Something to match against besides ratings: a 👍, or a like said in chat."""
    maps = (profile.genres, profile.keywords, profile.people, profile.themes, profile.moods, profile.visual_style)
    return any(v > 0 for values in maps for v in values.values())


def rank_locally(ctx: ScoutContext, profile: TasteProfile, rated: list, candidates: list[Candidate]) -> list[Match]:
    """Local matches, best (highest calibrated confidence) first: each candidate scored by the configuration
    measured for where it was found (`config_for_source`), within the list of films found the same way."""
    groups: dict[bool, list[Movie]] = {}
    for c in candidates:
        wide = ctx.catalog_local is not None and c.discovery_source in CATALOG_WIDE_SOURCES
        groups.setdefault(wide, []).append(c.movie)
    matches: list[Match] = []
    for wide, films in groups.items():
        matcher = ctx.catalog_local if wide and ctx.catalog_local is not None else ctx.local
        matches += matcher.match(profile=profile, rated=rated, candidates=films)
    return sorted(matches, key=lambda m: -m.confidence)  # stable: each group keeps its score order


def candidate_hash(profile_version: int, movie_ids: list[int]) -> str:
    """Identity of one analysis: the taste version and the set of films sent to the matcher."""
    text = f"{profile_version}:" + ",".join(str(i) for i in sorted(movie_ids))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def scout_user(ctx: ScoutContext, user_id: str, *, quick: bool = False, manual: bool = False) -> ScoutResult:
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

    if not rated and not has_stated_taste(profile):
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
        found = cands.gather_quick(ctx.store, rated, previous)
    else:
        quick = False
        found = cands.gather(ctx.store, profile, rated)
    errors = found.errors
    shortlist = found.without(excluded)
    enrich_limit = max(ENRICH_PER_TOP_K * ctx.settings.llm_top_k, MIN_ENRICHED)
    if len(shortlist) > enrich_limit:
        # Rank on what the lists gave (cached rows, often complete) and fetch details only for the
        # best: TMDB detail calls per user stay bounded however many lists a user's taste opens.
        first = rank_locally(ctx, profile, rated, shortlist)
        keep = {m.movie_id for m in first[:enrich_limit]}
        shortlist = [c for c in shortlist if c.movie.id in keep]
    candidates = cands.enrich(ctx.store, shortlist, errors)
    sources = {c.movie.id: c.discovery_source for c in candidates}
    films = {c.movie.id: c.movie for c in candidates}

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
    engine, llm_called = ctx.matcher.name, False
    if ctx.matcher.name != ctx.local.name and top:
        may_call = not (quick and ctx.defer_quick_calls)
        verdicts, engines, engine, llm_called, capped = _claude_verdicts(ctx, user_id, profile, rated, thumbs, top,
                                                                         films, may_call=may_call)
        error_text = "; ".join(filter(None, [error_text, capped]))[:MAX_ERROR_CHARS] or None
        # One confidence scale: Claude re-orders the shortlist and explains; the numbers stay the local
        # calibrated probabilities (verdicts.py). A local fallback's own numbers are already on that scale
        # but come from a call on the shortlist alone, so they are realigned the same way.
        for match in align_to_local(verdicts, [judged[i][0] for i in top if i in judged]):
            if match.movie_id in films:
                judged[match.movie_id] = (match, engines[match.movie_id])

    # People who chose their services: films streaming there win close calls (their confidence is restored).
    judged, true_confidence = streaming_nudge.nudge_streamable(judged, films, region, services)
    # One film per franchise, and no later instalment of a series the person has not started.
    ordered = sorted(judged.values(), key=lambda pair: (-pair[0].confidence, pair[0].movie_id))
    keep = set(diversify([m.movie_id for m, _ in ordered], films, [r.movie for r in rated]))
    chosen = picks_mod.select_picks(
        [pair for pair in ordered if pair[0].movie_id in keep], sources, threshold=ctx.settings.pick_threshold,
        min_picks=ctx.settings.min_picks)
    chosen = streaming_nudge.restore_confidence(chosen, true_confidence, threshold=ctx.settings.pick_threshold)
    with transaction(ctx.pool) as conn:
        # With a source down the candidate set is partial: add what was found, evict nothing.
        removed = picks_mod.store_picks(conn, user_id, chosen, films, remove_stale=not errors)
        scout_state.save_analysis(
            conn, user_id, profile_version=profile.version,
            candidate_hash=analysis,
            candidates=_candidate_list(candidates), matcher=engine,
            last_error=error_text)
    result = ScoutResult(
        user_id, quick, len(candidates), sum(not p.below_threshold for p in chosen),
        sum(p.below_threshold for p in chosen), removed, llm_called=llm_called, reused=False, errors=tuple(errors))
    log.info("Scout %s%s: %d candidates, %d picks (+%d below threshold), %d removed%s", user_id,
             " (quick)" if quick else "", result.candidates, result.picks, result.below_threshold, removed,
             f", errors: {error_text}" if errors else "")
    return result


def _claude_verdicts(ctx: ScoutContext, user_id: str, profile: TasteProfile, rated: list,
                     thumbs: list[tuple[int, str]], top: list[int],
                     films: dict[int, Movie], *,
                     may_call: bool = True) -> tuple[list[Match], dict[int, str], str, bool, str | None]:
    """Verdicts on the `top` films: the stored ones of the current taste fingerprint, and one call for the rest
    unless a daily cap is reached (llm/budget.py: then the local scores stand for them).

    Returns (verdicts, the engine of each, the engine this analysis counts as done by, whether a call was made,
    why Claude was not asked when a cap stopped it).
    """
    fingerprint = verdict_store.taste_fingerprint(profile, rated, thumbs)
    known: dict[int, Match | None] = {}
    if ctx.reuse_verdicts:
        with transaction(ctx.pool) as conn:
            known = verdict_store.load_verdicts(conn, user_id, fingerprint, top)
    verdicts = [v for v in known.values() if v is not None]
    engines = {v.movie_id: ctx.matcher.name for v in verdicts}
    ask = [i for i in top if i not in known]
    if not ask:
        log.info("Scout %s: all %d shortlisted films have a current verdict; no call", user_id, len(top))
        return verdicts, engines, ctx.matcher.name, False, None
    if not may_call:  # counted as a local analysis, so the next scheduled pass analyses again and asks
        log.info("Scout %s: %d films without a verdict wait for the next scheduled pass", user_id, len(ask))
        return verdicts, engines, ctx.local.name, False, None
    with transaction(ctx.pool) as conn:
        budget = claude_allowed(conn, ctx.settings, user_id=user_id, operation=MATCH_OPERATION)
    if not budget.allowed:
        return verdicts, engines, ctx.local.name, False, budget.reason
    fresh = ctx.matcher.match(profile=profile, rated=rated, candidates=[films[i] for i in ask])
    # A FallbackMatcher says which engine answered; remembering it makes a pass that fell back
    # to the local engine count as "not analysed by Claude", so the next pass asks Claude again.
    engine = getattr(ctx.matcher, "last_engine", None) or ctx.matcher.name
    if ctx.reuse_verdicts and engine == ctx.matcher.name:  # a fallback's numbers are no verdict to keep
        with transaction(ctx.pool) as conn:
            verdict_store.save_verdicts(conn, user_id, fingerprint, ask, fresh, model=ctx.settings.cine_claude_model)
    engines.update({v.movie_id: engine for v in fresh})
    log.info("Scout %s: %d verdicts reused, %d films sent to %s", user_id, len(known), len(ask), engine)
    return verdicts + fresh, engines, engine, True, None


def _candidate_list(candidates: list[Candidate]) -> list[tuple[int, str]]:
    return [(c.movie.id, str(c.discovery_source)) for c in candidates]


__all__ = ["ScoutContext", "ScoutResult", "build_scout_context", "candidate_hash", "scout_user", "warm_up"]
