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
from cine_core.recommend.claude_verdicts import judge_shortlist
from cine_core.recommend.config import CATALOG_WIDE_SOURCES, config_for_source
from cine_core.recommend.ranker.rank import CatalogRanker
from cine_core.recommend.verdict_batches import VerdictBatches
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


@dataclass(frozen=True, slots=True)
class _Person:
    """What one scout reads about a person before it looks for films."""

    profile: TasteProfile
    rated: list
    excluded: set[int]
    state: scout_state.ScoutState
    current: list
    region: str
    services: tuple[str, ...]
    thumbs: list[tuple[int, str]]
    watched: list


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The films found and their local order (`ranked`: best first)."""

    ranked: list[Match]
    candidates: list[Candidate]
    films: dict[int, Movie]
    sources: dict[int, DiscoverySource]
    quick: bool
    errors: list[str]


def scout_user(ctx: ScoutContext, user_id: str, *, quick: bool = False, manual: bool = False,
               movie_id: int | None = None, before_store: Callable[[Connection], None] | None = None) -> ScoutResult:
    """Refresh one user's picks; see the module docstring. Raises only if the database fails.

    `manual` (the Refresh button) always produces a new set: a full scout that never reuses the last
    analysis, and, when the taste has not changed since, the picks already shown make room for the next best.
    """
    user_id = str(user_id)
    person = _load(ctx, user_id)
    if not person.rated and not person.watched and not has_stated_taste(person.profile):
        # Cold start: nothing to match against. The dashboard's fallback (acclaimed popular films) is a
        # better shelf than trending films ranked by a prior, so no picks are stored until there is a taste.
        log.info("Scout %s: no ratings or stated taste yet; the fallback shelf stays", user_id)
        return ScoutResult(user_id, quick, 0, 0, 0, 0, llm_called=False, reused=False)
    if manual and person.state.profile_version == person.profile.version:  # same taste: rotate, they saw these
        person = replace(person, excluded=person.excluded | {m for m, _ in person.current[:ROTATE_SHOWN]})
    found = _find_and_rank(ctx, person, quick=quick and not manual, movie_id=movie_id)
    top = [m.movie_id for m in found.ranked[: ctx.settings.llm_top_k]]
    analysis = candidate_hash(person.profile.version, top)
    error_text = "; ".join(found.errors)[:MAX_ERROR_CHARS] or None
    if not manual and person.state.candidate_hash == analysis and person.state.matcher == ctx.matcher.name:
        with transaction(ctx.pool) as conn:
            scout_state.save_visit(conn, user_id, last_error=error_text)
        log.info("Scout %s: nothing changed (profile v%s), picks kept", user_id, person.profile.version)
        return ScoutResult(user_id, found.quick, len(found.candidates), 0, 0, 0, llm_called=False, reused=True,
                           errors=tuple(found.errors))
    judged, asked = judge_shortlist(ctx, user_id, person.profile, person.rated, person.thumbs, found.ranked, top,
                                    found.films, quick=found.quick, manual=manual)
    error_text = "; ".join(filter(None, [error_text, asked.capped]))[:MAX_ERROR_CHARS] or None
    chosen = picks_mod.choose_picks(
        judged, found.ranked, found.films, found.sources, [r.movie for r in person.rated], person.region,
        person.services, by_score=ctx.ranker is not None and asked.engine == ctx.local.name,
        threshold=ctx.settings.pick_threshold, min_picks=ctx.settings.min_picks)
    with transaction(ctx.pool) as conn:
        if before_store is not None:  # the worker's lease check (job_lease.assert_lease): may raise
            before_store(conn)
        # With a source down the candidate set is partial: add what was found, evict nothing.
        removed = picks_mod.store_picks(conn, user_id, chosen, found.films, remove_stale=not found.errors)
        scout_state.save_analysis(
            conn, user_id, profile_version=person.profile.version,
            candidate_hash=analysis,
            candidates=_candidate_list(found.candidates), matcher=asked.engine,
            last_error=error_text)
    result = ScoutResult(
        user_id, found.quick, len(found.candidates), sum(not p.below_threshold for p in chosen),
        sum(p.below_threshold for p in chosen), removed, llm_called=asked.called, reused=False,
        errors=tuple(found.errors), batched=asked.batched)
    log.info("Scout %s%s: %d candidates, %d picks (+%d below threshold), %d removed%s", user_id,
             " (quick)" if found.quick else "", result.candidates, result.picks, result.below_threshold, removed,
             f", errors: {error_text}" if found.errors else "")
    return result


def _load(ctx: ScoutContext, user_id: str) -> _Person:
    with transaction(ctx.pool) as conn:
        profile = taste_store.refresh_profile(conn, user_id)
        rated = taste_store.load_rated(conn, user_id)
        excluded = picks_mod.excluded_movie_ids(conn, user_id)
        state = scout_state.load_state(conn, user_id)
        current = picks_mod.current_picks(conn, user_id)
        region, services = settings_store.streaming_services(conn, user_id, default_region=ctx.settings.default_region)
        thumbs = [(f.movie.id, f.kind) for f in taste_store.load_feedback(conn, user_id)]
        watched = picks_mod.watched_history(conn, user_id) if ctx.ranker is not None else []
    return _Person(profile, rated, excluded, state, current, region, services, thumbs, watched)


def _find_and_rank(ctx: ScoutContext, person: _Person, *, quick: bool, movie_id: int | None) -> _Ranked:
    """Candidates from the lists (a quick refresh: the last set and films like the one that triggered it),
    the best enriched, ranked by the catalog ranker (or the local matchers without one)."""
    profile, rated = person.profile, person.rated
    previous = list(zip(person.state.candidate_ids, person.state.candidate_sources, strict=True)) + person.current
    if quick and previous:
        found = cands.gather_quick(ctx.store, rated, previous, movie_id)  # movie_id: the film that triggered it
    else:
        quick = False
        found = cands.gather(ctx.store, profile, rated)
    errors = found.errors
    shortlist = found.without(person.excluded)
    enrich_limit = max(ENRICH_PER_TOP_K * ctx.settings.llm_top_k, MIN_ENRICHED)
    if len(shortlist) > enrich_limit:
        # Rank on what the lists gave (cached rows, often complete) and fetch details only for the
        # best: TMDB detail calls per user stay bounded however many lists a user's taste opens.
        keep = set(prerank_locally(ctx, profile, rated, shortlist)[:enrich_limit])
        shortlist = [c for c in shortlist if c.movie.id in keep]
    candidates = cands.enrich(ctx.store, shortlist, errors)
    if ctx.ranker is not None:
        # One model over the whole catalog and the films the lists found (catalog_picks.py).
        both = rank_candidates(ctx.ranker, ctx.local, profile=profile, rated=rated,
                               history=person_history(rated, person.watched, person.thumbs), found=candidates,
                               excluded=person.excluded, today=ctx.today())
        ranked, candidates = both.matches, both.candidates
    else:
        ranked = rank_locally(ctx, profile, rated, candidates)
    return _Ranked(ranked, candidates, {c.movie.id: c.movie for c in candidates},
                   {c.movie.id: c.discovery_source for c in candidates}, quick, errors)


def _candidate_list(candidates: list[Candidate]) -> list[tuple[int, str]]:
    return [(c.movie.id, str(c.discovery_source)) for c in candidates]


__all__ = ["ScoutContext", "ScoutResult", "build_scout_context", "candidate_hash", "scout_user", "warm_up"]
