"""The Message Batches part of the Anthropic stub (tests/anthropic_stub.py routes /v1/messages/batches here).

POST /v1/messages/batches records the batch; each request's reply comes from the stub's own script and
default, as a synchronous call would (so MEASURED token counts are the real request's), unless `outcome`
says the request errored, expired or was canceled. GET .../{id} reports the batch (in progress while `hold`
is set, else ended, with a `results_url`); GET .../{id}/results returns one JSON line per request.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

_ids = itertools.count(1)
OUTCOMES = ("succeeded", "errored", "expired", "canceled")


@dataclass
class StubBatch:
    id: str
    requests: list[dict]  # {"custom_id", "params"}
    created_at: datetime
    results: list[dict] = field(default_factory=list)


class BatchesAPI:
    """`stub.batches.hold = True` keeps batches in progress; `stub.batches.outcome` is an outcome for every
    request or a `(custom_id, params) -> outcome` callable; `stub.batches.created` lists the batches."""

    def __init__(self, reply_for: Callable[[dict], Any], base_url: Callable[[], str]) -> None:
        self._reply_for = reply_for  # the stub's scripted reply for a Messages request
        self._base_url = base_url
        self.hold = False
        self.outcome: str | Callable[[str, dict], str] = "succeeded"
        self.created: list[StubBatch] = []
        self.polls = 0
        self._lock = threading.Lock()

    def params_sent(self) -> list[dict]:
        """Every request's params, over all batches, in submission order."""
        return [r["params"] for batch in self.created for r in batch.requests]

    def create(self, body: dict) -> tuple[int, dict]:
        batch = StubBatch(f"msgbatch_stub_{next(_ids)}", list(body.get("requests") or []), datetime.now(UTC))
        with self._lock:
            self.created.append(batch)
        return 200, self._describe(batch, ended=False)

    def get(self, path: str) -> tuple[int, dict | str]:
        parts = path.split("?")[0].rstrip("/").split("/")  # ['', 'v1', 'messages', 'batches', id, ('results')]
        batch = next((b for b in self.created if len(parts) > 4 and b.id == parts[4]), None)
        if batch is None:
            return 404, {"type": "error", "error": {"type": "not_found_error", "message": "no such batch"}}
        if len(parts) == 6 and parts[5] == "results":
            if self.hold:
                return 400, {"type": "error", "error": {"type": "invalid_request_error", "message": "not ended"}}
            return 200, "\n".join(json.dumps(line) for line in self._results(batch)) + "\n"
        with self._lock:
            self.polls += 1
        return 200, self._describe(batch, ended=not self.hold)

    def _results(self, batch: StubBatch) -> list[dict]:
        with self._lock:
            if not batch.results:
                batch.results = [self._result(r["custom_id"], r["params"]) for r in batch.requests]
            return batch.results

    def _result(self, custom_id: str, params: dict) -> dict:
        outcome = self.outcome(custom_id, params) if callable(self.outcome) else self.outcome
        if outcome == "succeeded":
            reply = self._reply_for(dict(params))
            if reply.status == 200 and isinstance(reply.body, dict):
                return {"custom_id": custom_id, "result": {"type": "succeeded", "message": reply.body}}
            outcome = "errored"
        if outcome == "errored":
            return {"custom_id": custom_id, "result": {"type": "errored", "error": {
                "type": "error", "error": {"type": "api_error", "message": "stub batch request failed"}}}}
        return {"custom_id": custom_id, "result": {"type": outcome}}

    def _describe(self, batch: StubBatch, *, ended: bool) -> dict:
        counts = dict.fromkeys(("processing",) + OUTCOMES, 0)
        if ended:
            for line in self._results(batch):
                counts[line["result"]["type"]] += 1
        else:
            counts["processing"] = len(batch.requests)
        return {
            "id": batch.id, "type": "message_batch", "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts, "created_at": batch.created_at.isoformat(),
            "expires_at": (batch.created_at + timedelta(hours=24)).isoformat(),
            "ended_at": datetime.now(UTC).isoformat() if ended else None, "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self._base_url()}/v1/messages/batches/{batch.id}/results" if ended else None,
        }
