"""The worker's import lane: queued imports run in a thread of their own, so an import never holds up a
refresh and a refresh never holds up an import. It runs while there may be work (`poke()` on every pass)
and stops at a row boundary when the worker stops (cine_core.imports.background)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from worker.lanes import wait_for

log = logging.getLogger(__name__)

RunImports = Callable[[str, threading.Event], int]  # (worker id, stop) -> imports settled


class ImportLane:
    def __init__(self, run_imports: RunImports | None, worker_id: Callable[[], str], stop: threading.Event) -> None:
        self._run_imports = run_imports
        self._worker_id = worker_id
        self._stop = stop
        self._due = threading.Event()
        self.thread: threading.Thread | None = None

    def poke(self) -> None:
        """An import may be waiting: run the lane (start its thread unless it is running)."""
        self._due.set()
        if self._run_imports is None or (self.thread is not None and self.thread.is_alive()):
            return
        self.thread = threading.Thread(target=self._run, name="imports", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        assert self._run_imports is not None
        while self._due.is_set() and not self._stop.is_set():
            self._due.clear()
            try:
                if self._run_imports(self._worker_id(), self._stop):  # each import enqueues its own refresh
                    self._due.set()
            except Exception:  # each job settles itself; this guards the claim, e.g. a database hiccup
                log.exception("Running import jobs failed; retrying on the next pass")

    def wait(self, grace_seconds: float) -> bool:
        """Wait for the lane to go idle (after a stop request, at most `grace_seconds`); True if it did."""
        return self.thread is None or wait_for([self.thread], self._stop, grace_seconds=grace_seconds)
