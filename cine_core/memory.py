"""A process's long-lived objects: values built once per process (`process_wide`), then frozen out of the
garbage collector's walk once the process has warmed up (`gc.freeze()`).

The catalog, its indexes and the ranker are ~440k tracked objects that live as long as the process. A full
collection walked all of them: ~250 ms of CPU each time (Streamlit runs one after every script run). Frozen,
they sit in the permanent generation and a full collection walks only what was made since: ~0 ms (measured in
docs/caching.md). Garbage collection itself stays on: cycles made later are still found and freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None  # glibc only
    except OSError:
        return None


_LIBC = _glibc()
_MALLOC_TRIM = _LIBC.malloc_trim if _LIBC is not None else None
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
BIG_ARRAY_BYTES = 4 << 20  # a block this big comes from its own mapping, returned to the system when freed


def map_big_arrays_apart(threshold: int = BIG_ARRAY_BYTES) -> bool:
    """Pin glibc's mmap threshold (call once at the start of a process): blocks of `threshold` bytes or more get
    their own mapping and go back to the system when freed. Left alone, glibc raises the threshold to the largest
    block freed so far (up to 32 MB), after which a long history's arrays come from the heap and stay there."""
    return _LIBC is not None and _LIBC.mallopt(M_MMAP_THRESHOLD, threshold) == 1


def give_back_free_memory() -> bool:
    """Return the C heap's free pages to the system (glibc `malloc_trim(0)`); True if it could.

    A refresh's arrays grow with the person's history (the ranker compares every film with up to 300 loved
    ones: tens of MB for a long history). Freed, glibc kept that memory for reuse, so a worker's RSS rose to the
    largest history it had scored and crept on from fragmentation: bench.memory 439 -> 485 MB over 1,000 jobs
    while histories grew 12 -> 62 ratings (Python's own objects grew by < 1 MB; flat when histories do not
    grow). With this after each job (worker/jobs.py) and `map_big_arrays_apart` at start: 439 -> 440 MB.
    A fraction of a millisecond.
    """
    if _MALLOC_TRIM is None:
        return False
    _MALLOC_TRIM(0)
    return True
