"""Claude through the Message Batches API: half the price, answered within 24 hours, for scheduled work.

`BatchClient.submit` sends requests (`custom_id` + the Messages API `params`) as one batch;
`status` reads its processing status; `results` reads the JSONL results once it has ended and turns each line
into a `BatchResult`: the forced tool call's input validated exactly like a synchronous call (the tool's
pydantic model, then the caller's `check`), or the reason there is none (errored, expired, canceled,
invalid). Every result writes one api_usage row with the request's real token counts, priced at the batch
discount (prices.py); requests that were not processed are recorded with zero tokens and `ok = false`.
Transport errors raise LLMError subclasses (client.py's translation).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anthropic
import pydantic
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.domain.errors import LLMOutputInvalid
from cine_core.llm.client import (
    CallUsage,
    ClaudeClient,
    ToolSpec,
    build_anthropic_client,
    tool_output,
    translate,
    usage_of,
)

log = logging.getLogger(__name__)

SUCCEEDED, INVALID, ERRORED, EXPIRED, CANCELED, MISSING = "succeeded", "invalid", "errored", "expired", "canceled", "missing"


@dataclass(frozen=True, slots=True)
class BatchStatus:
    id: str
    processing_status: str  # in_progress | canceling | ended
    ended_at: datetime | None = None
    request_counts: Mapping[str, int] | None = None

    @property
    def ended(self) -> bool:
        return self.processing_status == "ended"


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One request's outcome: `output` only when `outcome` is SUCCEEDED."""

    custom_id: str
    outcome: str
    output: pydantic.BaseModel | None = None
    error: str | None = None


class BatchClient:
    """Message Batches with accounting. Raises LLMError subclasses only."""

    def __init__(self, llm: ClaudeClient, client: anthropic.Anthropic) -> None:
        self._llm = llm
        self._client = client
        self.model = llm.model

    @classmethod
    def from_settings(cls, settings: Settings, pool: ConnectionPool | None, *,
                      client: anthropic.Anthropic | None = None) -> BatchClient:
        sdk = client or build_anthropic_client(settings)
        return cls(ClaudeClient.from_settings(settings, pool, client=sdk), sdk)

    def submit(self, requests: Sequence[tuple[str, dict[str, Any]]]) -> BatchStatus:
        """One batch of (custom_id, params); the params are complete Messages API requests.

        LLMCapReached (nothing sent) past the installation's daily budget; each person's own cap is checked
        when their request is queued (recommend/claude_verdicts.py)."""
        self._llm.caps.require(user_id=None, operation="batch")
        try:
            batch = self._client.messages.batches.create(
                requests=[{"custom_id": custom_id, "params": params} for custom_id, params in requests])
        except anthropic.AnthropicError as exc:
            raise translate(exc) from exc
        log.info("Submitted batch %s: %d request(s)", batch.id, len(requests))
        return _status(batch)

    def status(self, batch_id: str) -> BatchStatus:
        try:
            return _status(self._client.messages.batches.retrieve(batch_id))
        except anthropic.AnthropicError as exc:
            raise translate(exc) from exc

    def results(self, batch_id: str, *, operation: str, tool: ToolSpec, users: Mapping[str, str],
                checks: Mapping[str, Callable[[Any], None]]) -> Iterator[BatchResult]:
        """The ended batch's results for the `users` (custom_id -> user id) it was sent for, recorded in
        api_usage; ids of `users` absent from the results come last as MISSING."""
        try:
            lines = self._client.messages.batches.results(batch_id)
            seen: set[str] = set()
            for line in lines:
                if line.custom_id not in users or line.custom_id in seen:
                    log.warning("Batch %s: result for an unknown or repeated request %r; ignored", batch_id,
                                line.custom_id)
                    continue
                seen.add(line.custom_id)
                yield self._one(operation, tool, users[line.custom_id], line, checks.get(line.custom_id))
        except anthropic.AnthropicError as exc:
            raise translate(exc) from exc
        for custom_id in users.keys() - seen:
            yield BatchResult(custom_id, MISSING, error="no result for this request")

    def _one(self, operation: str, tool: ToolSpec, user_id: str, line: Any,
             check: Callable[[Any], None] | None) -> BatchResult:
        result = line.result
        kind = getattr(result, "type", None)
        if kind != SUCCEEDED:
            error = f"batch request {kind}" + (f": {_error_type(result)}" if kind == ERRORED else "")
            self._llm.record(operation, user_id, CallUsage(), ok=False, error=error, batch=True)
            return BatchResult(line.custom_id, kind if kind in (ERRORED, EXPIRED, CANCELED) else ERRORED, error=error)
        message = result.message
        try:
            usage = usage_of(message)
        except LLMOutputInvalid as exc:
            self._llm.record(operation, user_id, CallUsage(), ok=False, error=str(exc), batch=True)
            return BatchResult(line.custom_id, INVALID, error=str(exc))
        try:
            output = tool_output(message, tool)
            if check is not None:
                check(output)
        except LLMOutputInvalid as exc:
            self._llm.record(operation, user_id, usage, ok=False, error=str(exc), batch=True)
            log.warning("%s: invalid batch result for %s: %s", operation, user_id, exc)
            return BatchResult(line.custom_id, INVALID, error=str(exc))
        self._llm.record(operation, user_id, usage, ok=True, error=None, batch=True)
        return BatchResult(line.custom_id, SUCCEEDED, output=output)


def _status(batch: Any) -> BatchStatus:
    counts = getattr(batch, "request_counts", None)
    return BatchStatus(batch.id, batch.processing_status, getattr(batch, "ended_at", None),
                       counts.model_dump() if counts is not None else None)


def _error_type(result: Any) -> str:
    error = getattr(getattr(result, "error", None), "error", None)
    return str(getattr(error, "type", None) or "unknown error")
