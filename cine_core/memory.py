"""A process's long-lived objects: values built once per process (`process_wide`), then frozen out of the
garbage collector's walk once the process has warmed up (`gc.freeze()`).

The catalog, its indexes and the ranker are ~440k tracked objects that live as long as the process. A full
collection walked all of them: ~250 ms of CPU each time (Streamlit runs one after every script run). Frozen,
they sit in the permanent generation and a full collection walks only what was made since: ~0 ms (measured in
docs/caching.md). Garbage collection itself stays on: cycles made later are still found and freed.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import update_wrapper
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

WARM_UP_TIMEOUT_SECONDS = 600.0  # a warm-up still running after this is not waited for


class ProcessWide(Generic[T]):
    """`build()` once per process, under a lock (threads asking at the same time wait for the one build, never
    build twice); an exception is raised to the caller and NOT kept, so the next call builds again."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._built: list[T] = []
        update_wrapper(self, build)

    def __call__(self) -> T:
        if not self._built:
            with self._lock:
                if not self._built:
                    self._built.append(self._build())
        return self._built[0]

    def forget(self) -> None:
        """Drop the value (tests; the next call builds again)."""
        with self._lock:
            self._built.clear()


def process_wide(build: Callable[[], T]) -> ProcessWide[T]:
    """Decorator: the function's value, built once per process (see `ProcessWide`)."""
    return ProcessWide(build)


@dataclass(frozen=True, slots=True)
class FreezeReport:
    frozen: int  # objects now in the permanent generation
    collect_ms_before: float  # CPU of one full collection before the freeze
    collect_ms_after: float  # and after it


def _full_collection_ms() -> float:
    started = time.process_time()
    gc.collect()
    return (time.process_time() - started) * 1000


def freeze_long_lived() -> FreezeReport:
    """Collect the garbage (it must not be frozen), then move every surviving object out of the collector's walk."""
    before = _full_collection_ms()
    gc.freeze()
    report = FreezeReport(gc.get_freeze_count(), before, _full_collection_ms())
    log.info("Froze %d long-lived objects; a full collection now costs %.0f ms of CPU (was %.0f ms)",
             report.frozen, report.collect_ms_after, report.collect_ms_before)
    return report


def freeze_after(warm_ups: Iterable[threading.Thread | None], *,
                 timeout: float = WARM_UP_TIMEOUT_SECONDS) -> threading.Thread:
    """On a daemon thread: wait for the warm-up threads (a failed one simply ends), then `freeze_long_lived()`."""
    threads = [t for t in warm_ups if t is not None]

    def wait_then_freeze() -> None:
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        freeze_long_lived()

    freezer = threading.Thread(target=wait_then_freeze, daemon=True, name="gc-freeze")
    freezer.start()
    return freezer


def run_then_freeze(warm_up: Callable[[], None]) -> None:
    """`warm_up()`, then freeze what it built (a worker's warm-up thread runs this)."""
    try:
        warm_up()
    finally:
        freeze_long_lived()
