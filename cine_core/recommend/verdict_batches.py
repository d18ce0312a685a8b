"""Scheduled verdicts through the Message Batches API: queue in the pass, submit at its end, apply when ended.

A scheduled scout pass (pipeline.py) writes each person's local picks at once and queues one request with the
shortlisted films that have no current verdict (`queue`); the worker submits the pass's requests as one batch
(`submit_pending`) and polls (`poll`). When a batch has ended, each succeeded request is validated exactly
like a synchronous call (the tool schema, ids from the films asked only, confidence in [0, 1]; then the same
cleaning of reasons) and, if the person's taste fingerprint is still the one asked about, its verdicts are
stored and a refresh job is queued: the quick refresh rewrites the picks with them, calling nobody.
A request that errored, expired, was canceled or came back invalid stores nothing: the person keeps the local
picks, and a later pass may ask again within the daily caps (llm/budget.py). Usage is recorded per request at
the batch price (llm/batches.py). While a person's request is open, no second one is queued.
"""

from __future__ import annotations

import functools
import logging
import random
import uuid
from collections import Counter
from collections.abc import Sequence

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.errors import LLMError
from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.jobs import refresh_queue
from cine_core.llm import batch_store
from cine_core.llm.batches import SUCCEEDED, BatchClient, BatchResult
from cine_core.recommend import verdicts as verdict_store
from cine_core.recommend.claude_scorer import OPERATION, TOOL, check_ids, clean_matches, evidence_terms, request_params
from cine_core.taste import store as taste_store

log = logging.getLogger(__name__)

MAX_BATCH_REQUESTS = 5_000  # per batch (the API takes 100,000 or 256 MB; a request here is ~10 kB)


class VerdictBatches:
    """Queue, submit and apply scheduled scoring requests. `poll` and `submit_pending` never raise LLMError."""

    def __init__(self, pool: ConnectionPool, client: BatchClient, *, seed: int | None = None) -> None:
        self.pool = pool
        self.client = client
        self._seeds = random.Random(seed)

    @classmethod
    def from_settings(cls, settings: Settings, pool: ConnectionPool, *, client=None) -> VerdictBatches | None:
        """Batches when a key (or client) is given and CINE_LLM_BATCHES is not 0; else None (synchronous calls)."""
        if not settings.cine_llm_batches or (client is None and not settings.llm_batches_on):
            return None
        return cls(pool, BatchClient.from_settings(settings, pool, client=client))

    def queue(self, user_id: str, profile: TasteProfile, rated: Sequence[RatedMovie], films: Sequence[Movie],
              fingerprint: str) -> bool:
        """Queue one scoring request for this person's next batch; False if one is already open."""
        with transaction(self.pool) as conn:
            if batch_store.has_open_request(conn, user_id, OPERATION):
                return False
            params = request_params(profile, rated, films, model=self.client.model,
                                    seed=self._seeds.randrange(2**32))
            context = {"fingerprint": fingerprint, "asked": [m.id for m in films],
                       "evidence": sorted(evidence_terms(profile, rated))}
            custom_id = f"{uuid.UUID(str(user_id)).hex}-{uuid.uuid4().hex[:12]}"
            batch_store.queue_request(conn, custom_id=custom_id, user_id=str(user_id), operation=OPERATION,
                                      params=params, context=context)
        return True

    def submit_pending(self) -> list[str]:
        """Submit every queued request (one batch per MAX_BATCH_REQUESTS); the ids of the batches created.
        A failed submission leaves its requests queued for the next call."""
        submitted: list[str] = []
        while True:
            try:
                with transaction(self.pool) as conn:
                    pending = batch_store.claim_pending(conn, OPERATION, limit=MAX_BATCH_REQUESTS)
                    if not pending:
                        return submitted
                    status = self.client.submit([(p.custom_id, p.params) for p in pending])
                    batch_store.record_batch(conn, batch_id=status.id, operation=OPERATION,
                                             status=status.processing_status, requests=pending)
            except LLMError as exc:
                log.warning("Submitting a batch of scoring requests failed (they stay queued): %s", exc)
                return submitted
            submitted.append(status.id)

    def poll(self) -> int:
        """Apply the results of every ended batch; returns the requests whose verdicts were stored."""
        stored, looked = 0, []
        while True:
            batch = None
            try:
                with transaction(self.pool) as conn:
                    batch = batch_store.claim_open_batch(conn, OPERATION, skip=looked)
                    if batch is None:
                        return stored
                    looked.append(batch.id)
                    status = self.client.status(batch.id)
                    if status.ended:
                        stored += self._apply(conn, batch.id, status)
                    elif status.processing_status != batch.status:
                        batch_store.set_status(conn, batch.id, status.processing_status)
            except LLMError as exc:  # the batch stays open (its transaction rolled back): the next poll retries
                log.warning("Batch %s: could not read it (will retry): %s", batch.id if batch else "?", exc)
                if batch is not None:
                    with transaction(self.pool) as conn:
                        batch_store.set_status(conn, batch.id, batch.status, last_error=str(exc)[:500])

    def _apply(self, conn, batch_id: str, status) -> int:
        requests = batch_store.requests_of(conn, batch_id)
        results = self.client.results(
            batch_id, operation=OPERATION, tool=TOOL, users={cid: r.user_id for cid, r in requests.items()},
            checks={cid: functools.partial(_check, asked=r.context.get("asked", [])) for cid, r in requests.items()})
        outcomes: Counter[str] = Counter()
        stored = 0
        for result in results:
            outcomes[result.outcome] += 1
            if result.outcome == SUCCEEDED and self._store(conn, requests[result.custom_id], result):
                stored += 1
            elif result.outcome != SUCCEEDED:
                log.info("Batch %s: request for %s %s: the local picks stay", batch_id,
                         requests[result.custom_id].user_id, result.outcome)
        batch_store.close_batch(conn, batch_id, ended_at=status.ended_at, request_counts=dict(outcomes))
        log.info("Batch %s applied: %s", batch_id, dict(outcomes))
        return stored

    def _store(self, conn, request: batch_store.BatchedRequest, result: BatchResult) -> bool:
        user_id, context = request.user_id, request.context
        profile = taste_store.load_profile(conn, user_id)
        rated = taste_store.load_rated(conn, user_id)
        thumbs = [(f.movie.id, f.kind) for f in taste_store.load_feedback(conn, user_id)]
        if verdict_store.taste_fingerprint(profile, rated, thumbs) != context.get("fingerprint"):
            log.info("Verdicts for %s arrived after the taste changed; dropped (the next pass asks again)", user_id)
            return False
        asked = [int(i) for i in context.get("asked", [])]
        matches = clean_matches(result.output, asked, set(context.get("evidence", [])))
        verdict_store.save_verdicts(conn, user_id, context["fingerprint"], asked, matches, model=self.client.model)
        refresh_queue.request_refresh(conn, user_id, refresh_queue.TriggerType.SCHEDULED)  # the quick refresh rewrites the picks with them
        return True


def _check(output, *, asked: Sequence[int]) -> None:
    check_ids(output, [int(i) for i in asked])
