"""Lanes: daemon threads that run one loop each, and a wait for them that gives up after a grace period
once stop is requested.

A ThreadPoolExecutor joins its threads at interpreter exit, so a worker asked to stop while a job ran
finished that job first (however long it took). Lanes are daemon threads: a stopping worker waits
`grace_seconds` for them, hands back what they still hold (worker/loop.py) and exits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class LaneRun:
    """The lanes of one drain: results of those that finished; `abandoned` if stop came and some did not."""

    results: list[int] = field(default_factory=list)
    abandoned: bool = False

    @property
    def total(self) -> int:
        return sum(self.results)


def run_lanes(name: str, count: int, lane: Callable[[], int], stop: threading.Event, *,
              grace_seconds: float) -> LaneRun:
    """Run `lane()` in `count` daemon threads and wait for all of them, or, once `stop` is set, for at most
    `grace_seconds` more."""
    run = LaneRun()
    lock = threading.Lock()

    def body() -> None:
        value = lane()
        with lock:
            run.results.append(value)

    threads = [threading.Thread(target=body, name=f"{name}-{i}", daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    wait_for(threads, stop, grace_seconds=grace_seconds, run=run)
    return run


def wait_for(threads: list[threading.Thread], stop: threading.Event, *, grace_seconds: float,
             run: LaneRun | None = None) -> bool:
    """Join `threads`; after `stop` is set wait at most `grace_seconds` more. True if all ended."""
    stopped_at: float | None = None
    for thread in threads:
        while thread.is_alive():
            if stop.is_set() and stopped_at is None:
                stopped_at = time.monotonic()
            if stopped_at is not None and time.monotonic() - stopped_at >= grace_seconds:
                if run is not None:
                    run.abandoned = True
                return False
            thread.join(0.05)
    return True
