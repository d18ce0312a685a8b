"""Claude's verdicts on a scout's shortlist: the stored ones, then one request for the rest (pipeline.py).

The request is made at once (a synchronous call), queued for the pass's Message Batch (a scheduled pass with
`ctx.batches`: verdict_batches.py applies the results later), or not made at all: a quick refresh defers it
to the next scheduled pass, and past a daily cap (llm/budget.py) the local scores stand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Protocol

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.models import Match, Movie, TasteProfile
from cine_core.domain.protocols import Matcher
from cine_core.llm.budget import claude_allowed
from cine_core.recommend import verdicts as verdict_store
from cine_core.recommend.claude_scorer import OPERATION as MATCH_OPERATION
from cine_core.recommend.verdict_batches import VerdictBatches

log = logging.getLogger(__name__)


class ScoutContext(Protocol):
    """What this module reads of pipeline.ScoutContext."""

    pool: ConnectionPool
    settings: Settings
    matcher: Matcher
    local: Matcher
    reuse_verdicts: bool
    defer_quick_calls: bool
    batches: VerdictBatches | None


@dataclass(frozen=True, slots=True)
class AskedClaude:
    """What the shortlist got: verdicts (stored or fresh), the engine of each, the engine this analysis counts
    as done by, whether a call was made or a batch request queued, and why Claude was not asked past a cap."""

    verdicts: list[Match]
    engines: dict[int, str] = field(default_factory=dict)
    engine: str = "local"
    called: bool = False
    batched: bool = False
    capped: str | None = None


def claude_verdicts(ctx: ScoutContext, user_id: str, profile: TasteProfile, rated: list,
                    thumbs: list[tuple[int, str]], top: list[int], films: dict[int, Movie], *,
                    may_call: bool = True, batch: bool = False) -> AskedClaude:
    """Verdicts on the `top` films: the stored ones of the current taste fingerprint, and for the rest one call,
    or (`batch` and `ctx.batches`) one request queued for the pass's batch, unless a daily cap is reached."""
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
        return AskedClaude(verdicts, engines, ctx.matcher.name)
    if not may_call:  # counted as a local analysis, so the next scheduled pass analyses again and asks
        log.info("Scout %s: %d films without a verdict wait for the next scheduled pass", user_id, len(ask))
        return AskedClaude(verdicts, engines, ctx.local.name)
    with transaction(ctx.pool) as conn:
        budget = claude_allowed(conn, ctx.settings, user_id=user_id, operation=MATCH_OPERATION)
    if not budget.allowed:
        return AskedClaude(verdicts, engines, ctx.local.name, capped=budget.reason)
    if batch and ctx.batches is not None:
        # Local picks now; the batch's verdicts rewrite them when it ends (counted as a local analysis
        # until then, so a pass after a failed request asks again).
        queued = ctx.batches.queue(user_id, profile, rated, [films[i] for i in ask], fingerprint)
        log.info("Scout %s: %d films %s", user_id, len(ask),
                 "queued for the pass's batch" if queued else "wait: a batch request is still open")
        return AskedClaude(verdicts, engines, ctx.local.name, batched=queued)
    fresh = ctx.matcher.match(profile=profile, rated=rated, candidates=[films[i] for i in ask])
    # A FallbackMatcher says which engine answered; remembering it makes a pass that fell back
    # to the local engine count as "not analysed by Claude", so the next pass asks Claude again.
    engine = getattr(ctx.matcher, "last_engine", None) or ctx.matcher.name
    if ctx.reuse_verdicts and engine == ctx.matcher.name:  # a fallback's numbers are no verdict to keep
        with transaction(ctx.pool) as conn:
            verdict_store.save_verdicts(conn, user_id, fingerprint, ask, fresh, model=ctx.settings.cine_claude_model)
    engines.update({v.movie_id: engine for v in fresh})
    log.info("Scout %s: %d verdicts reused, %d films sent to %s", user_id, len(known), len(ask), engine)
    return AskedClaude(verdicts + fresh, engines, engine, called=True)


def judge_shortlist(ctx: ScoutContext, user_id: str, profile: TasteProfile, rated: list,
                    thumbs: list[tuple[int, str]], ranked: list[Match], top: list[int], films: dict[int, Movie], *,
                    quick: bool, manual: bool) -> tuple[dict[int, tuple[Match, str]], AskedClaude]:
    """Each ranked film's match and the engine that judged it: the local ones, with Claude's verdicts on the
    `top` films in their place when the configured matcher is Claude (and what asking Claude did)."""
    judged: dict[int, tuple[Match, str]] = {m.movie_id: (m, ctx.local.name) for m in ranked}
    if ctx.matcher.name == ctx.local.name or not top:
        return judged, AskedClaude([], engine=ctx.matcher.name)
    may_call = not (quick and ctx.defer_quick_calls)
    asked = claude_verdicts(ctx, user_id, profile, rated, thumbs, top, films, may_call=may_call,
                            batch=not quick and not manual)
    # One confidence scale: Claude re-orders the shortlist and explains; the numbers stay the local
    # calibrated probabilities (verdicts.py). A local fallback's own numbers are already on that scale
    # but come from a call on the shortlist alone, so they are realigned the same way.
    for match in verdict_store.align_to_local(asked.verdicts, [judged[i][0] for i in top if i in judged]):
        if match.movie_id in films:  # Claude writes reasons only for films it rates highly: else the local one
            reason = match.reason or judged[match.movie_id][0].reason
            judged[match.movie_id] = (replace(match, reason=reason), asked.engines[match.movie_id])
    return judged, asked
