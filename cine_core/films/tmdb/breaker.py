"""A circuit breaker for TMDB: after repeated failures or one long hang, stop calling for a cool-down.

Every caller of TMDB already falls back to the film cache on TMDBUnavailable, so an open breaker turns
a dead TMDB from seconds of timeouts per request (3 attempts x the read timeout) into an immediate
fallback: a refresh never waits more than one read timeout on a dead TMDB.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from cine_core.domain.errors import TMDBUnavailable

log = logging.getLogger(__name__)

BREAKER_FAILED_CALLS = 3  # consecutive calls that end unavailable open the breaker ...
BREAKER_FAILING_SECONDS = 4.0  # ... or this much time spent on consecutive failed attempts (one hang)
BREAKER_COOL_DOWN_SECONDS = 30.0  # no call reaches TMDB while open; then one probe decides


class CircuitOpen(TMDBUnavailable):
    """TMDB was not called: it failed too often lately (the breaker is open)."""


class CircuitBreaker:
    """Stops calling a TMDB that keeps failing: TMDBUnavailable at once for a cool-down (callers serve
    their cache), then one probe call; its success closes the breaker, its failure opens it again.

    A failure is a timeout, a transport error or a retryable status (5xx, 429 …); any other answer,
    even a 404, shows TMDB is up. Thread-safe; shared by the transports of one process per base URL.
    """

    def __init__(self, *, failed_calls: int = BREAKER_FAILED_CALLS, failing_seconds: float = BREAKER_FAILING_SECONDS,
                 cool_down_seconds: float = BREAKER_COOL_DOWN_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._failed_calls_limit, self._failing_limit = failed_calls, failing_seconds
        self.cool_down_seconds = cool_down_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._failed_calls = 0
        self._failing_seconds = 0.0
        self._open_until: float | None = None
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def before_attempt(self, operation: str) -> None:
        """Raise TMDBUnavailable if no call may go out now; after the cool-down, one probe may."""
        with self._lock:
            if self._open_until is None:
                return
            if self._clock() >= self._open_until and not self._probing:
                self._probing = True
                log.info("TMDB circuit half-open: probing with %s", operation)
                return
            left = max(0.0, self._open_until - self._clock())
        raise CircuitOpen(f"TMDB is failing; not called for {left:.0f} s more ({operation})")

    def attempt_failed(self, seconds: float) -> None:
        """An attempt failed after `seconds`; opens the breaker when one hang took too long."""
        with self._lock:
            self._failing_seconds += seconds
            if self._probing or self._failing_seconds >= self._failing_limit:
                self._open()

    def call_failed(self) -> None:
        """A whole call (all its retries) ended unavailable."""
        with self._lock:
            self._failed_calls += 1
            if self._failed_calls >= self._failed_calls_limit:
                self._open()

    def succeeded(self) -> None:
        with self._lock:
            if self._open_until is not None:
                log.info("TMDB answers again: circuit closed")
            self._failed_calls, self._failing_seconds = 0, 0.0
            self._open_until, self._probing = None, False

    def _open(self) -> None:
        if self._open_until is None or self._probing:
            log.warning("TMDB keeps failing: not calling it for %.0f s (serving cached data)", self.cool_down_seconds)
        self._open_until = self._clock() + self.cool_down_seconds
        self._probing = False


_SHARED_BREAKERS: dict[str, CircuitBreaker] = {}
_SHARED_LOCK = threading.Lock()


def shared_breaker(base_url: str) -> CircuitBreaker:
    """The process-wide breaker for one TMDB base URL (clients come and go; TMDB's health does not)."""
    with _SHARED_LOCK:
        return _SHARED_BREAKERS.setdefault(base_url, CircuitBreaker())
