"""The worker's timing knobs and its report (worker/loop.py)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from cine_core.jobs import refresh_queue
from cine_core.jobs.heartbeat import BEAT_SECONDS

POLL_SECONDS = 5.0  # safety net when a NOTIFY is missed (or LISTEN is off)
SCOUT_CHECK_SECONDS = 300.0  # how often to look for users whose scout is due
SCOUT_BATCH_PER_LANE = 2  # users claimed per scout batch, per concurrent lane
BATCH_POLL_SECONDS = 60.0  # how often to look for ended Message Batches (they take minutes to hours)
STOP_GRACE_SECONDS = 6.0  # on SIGTERM, jobs in hand get this long to finish; then they are handed back


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """Timing knobs; tests and benchmarks shorten them."""

    poll_seconds: float = POLL_SECONDS
    lease_seconds: float = refresh_queue.DEFAULT_LEASE_SECONDS
    backoff_seconds: float = refresh_queue.BACKOFF_BASE_SECONDS
    concurrency: int = 1
    listen: bool = True
    scout_interval_hours: float = 2.0
    scout_check_seconds: float = SCOUT_CHECK_SECONDS
    scout_enabled: bool = True  # off: drain the queue only (e.g. a dedicated refresh worker)
    beat_seconds: float = BEAT_SECONDS  # heartbeat and lease extension, from a side thread
    dead_after_seconds: float = refresh_queue.DEAD_AFTER_SECONDS  # other workers' jobs are released after
    max_interruptions: int = refresh_queue.MAX_INTERRUPTIONS  # worker deaths before a job is given up
    batch_poll_seconds: float = BATCH_POLL_SECONDS
    stop_grace_seconds: float = STOP_GRACE_SECONDS


@dataclass(slots=True)
class PassReport:
    """What one pass (or the life of a loop) did."""

    jobs_done: int = 0
    jobs_failed: int = 0
    users_scouted: int = 0
    scouts_failed: int = 0
    jobs_handed_back: int = 0  # given back unfinished when the worker stopped (not failures)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)
