"""The TMDB transport: auth, timeouts, client-side rate limit, retries with backoff, a circuit breaker,
typed errors.

Shaped like the anthropic SDK's base client: an injected httpx.Client is the test seam; every status and
driver error is translated here, once, into cine_core.domain.errors.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from cine_core.domain.errors import TMDBAuthError, TMDBError, TMDBNotFound, TMDBRateLimited, TMDBUnavailable
from cine_core.films.tmdb.breaker import CircuitBreaker, CircuitOpen, shared_breaker
from cine_core.films.tmdb.schemas import ErrorBody
from cine_core.metering.usage import UsageEvent, UsageRecorder

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.themoviedb.org/3"
DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)  # seconds; TMDB answers in well under one
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds
MAX_RETRY_DELAY = 8.0  # seconds
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is not waited for
DEFAULT_REQUESTS_PER_SECOND = 20.0  # TMDB allows ~50/s per IP; stay well below
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
# TMDB v3 keys travel in the query string, and httpx logs every request URL at INFO.
_SECRET_QUERY = re.compile(r"(?i)([?&](?:api_key|apikey|access_token|key)=)[^&\s\"']+")


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with query-string secrets replaced by `***` (never drops the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_QUERY.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction() -> None:
    """Put RedactSecrets on the `httpx` logger once (idempotent; safe to call from several clients)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())


install_log_redaction()


class RateLimiter:
    """At most `per_second` request starts per second, across threads (a minimum spacing)."""

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


class TMDBTransport:
    """GET JSON from TMDB with retries; counts every attempt in api_usage."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        read_access_token: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        usage: UsageRecorder | None = None,
        requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND,
        sleep: Callable[[float], None] = time.sleep,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        """Without `breaker`, a real client shares its base URL's breaker; an injected one gets its own."""
        if not (api_key or read_access_token):
            raise TMDBAuthError("No TMDB credentials: set TMDB_API_KEY or TMDB_READ_ACCESS_TOKEN")
        self._params = {} if read_access_token else {"api_key": api_key}
        self._headers = {"Accept": "application/json"}
        if read_access_token:
            self._headers["Authorization"] = f"Bearer {read_access_token}"
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.max_retries = max_retries
        self._http = http_client or httpx.Client(timeout=self._timeout)
        self._usage = usage or UsageRecorder(None)
        self._sleep = sleep
        self._limiter = RateLimiter(requests_per_second)  # real time: pacing is not a retry
        self.breaker = breaker or (CircuitBreaker() if http_client else shared_breaker(self._base_url))

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, *, operation: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET base_url + path; the decoded JSON object, or a TMDBError subclass.

        While the circuit breaker is open this raises TMDBUnavailable at once, without calling.
        """
        try:
            return self._get(path, operation=operation, params=params)
        except CircuitOpen:
            raise
        except TMDBUnavailable:
            self.breaker.call_failed()
            raise

    def _get(self, path: str, *, operation: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        url = f"{self._base_url}/{path.lstrip('/')}"
        query = {**self._params, **{k: v for k, v in (params or {}).items() if v is not None}}
        for attempt in range(self.max_retries + 1):
            retries_left = self.max_retries - attempt
            self.breaker.before_attempt(operation)
            self._limiter.wait()
            started = time.monotonic()
            try:
                response = self._http.get(url, params=query, headers=self._headers, timeout=self._timeout)
            except httpx.TimeoutException as exc:
                self.breaker.attempt_failed(time.monotonic() - started)
                self._record(operation, ok=False, error="timeout")
                if retries_left:
                    self._retry_sleep(attempt, None, f"timeout on {operation}")
                    continue
                raise TMDBUnavailable(f"TMDB timed out ({operation}) after {attempt + 1} attempt(s)") from exc
            except httpx.TransportError as exc:
                self.breaker.attempt_failed(time.monotonic() - started)
                self._record(operation, ok=False, error=type(exc).__name__)
                if retries_left:
                    self._retry_sleep(attempt, None, f"{type(exc).__name__} on {operation}")
                    continue
                raise TMDBUnavailable(f"Cannot reach TMDB ({operation}): {exc}") from exc

            status = response.status_code
            self._record(operation, ok=status < 400, error=None if status < 400 else f"HTTP {status}")
            if status in RETRYABLE_STATUS or status >= 500:
                self.breaker.attempt_failed(time.monotonic() - started)
            else:
                self.breaker.succeeded()  # even a 404 shows TMDB is up
            if status < 400:
                return _decode(response, operation)
            if status in RETRYABLE_STATUS and retries_left:
                self._retry_sleep(attempt, response, f"HTTP {status} on {operation}")
                continue
            raise _status_error(response, operation)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _retry_sleep(self, attempt: int, response: httpx.Response | None, why: str) -> None:
        delay = _retry_after_seconds(response) if response is not None else None
        if delay is None:
            delay = min(INITIAL_RETRY_DELAY * 2**attempt, MAX_RETRY_DELAY) * (1 - 0.25 * random.random())
        log.info("TMDB: %s; retrying in %.2fs (%d left)", why, delay, self.max_retries - attempt)
        self._sleep(delay)

    def _record(self, operation: str, *, ok: bool, error: str | None) -> None:
        self._usage.record(UsageEvent(service="tmdb", operation=operation, ok=ok, error=error))


def _retry_after_seconds(response: httpx.Response) -> float | None:
    """Retry-After as seconds (number or HTTP date); None when absent, unparsable or too long."""
    value = response.headers.get("retry-after-ms")
    if value:
        try:
            seconds = float(value) / 1000
        except ValueError:
            seconds = None
    else:
        value = response.headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if value else None
            seconds = parsed.timestamp() - time.time() if parsed else None
    if seconds is None or not 0 <= seconds <= MAX_RETRY_AFTER:
        return None
    return seconds


def _decode(response: httpx.Response, operation: str) -> dict[str, Any]:
    try:
        body = response.json()
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested beyond the parser
        raise TMDBError(f"TMDB sent malformed JSON ({operation})") from exc
    if not isinstance(body, dict):
        raise TMDBError(f"TMDB sent an unexpected JSON value ({operation})")
    return body


def _status_error(response: httpx.Response, operation: str) -> TMDBError:
    try:
        message = ErrorBody.model_validate(response.json()).status_message
    except (ValueError, RecursionError, ValidationError):
        message = ""
    status = response.status_code
    detail = f" ({message})" if message else ""
    if status == 401:
        return TMDBAuthError(f"TMDB rejected the API key: check TMDB_API_KEY or TMDB_READ_ACCESS_TOKEN{detail}")
    if status == 404:
        return TMDBNotFound(f"TMDB has no such resource ({operation}){detail}")
    if status == 429:
        return TMDBRateLimited(f"TMDB rate limit hit ({operation}) and retries were exhausted")
    if status >= 500 or status in RETRYABLE_STATUS:
        return TMDBUnavailable(f"TMDB is unavailable (HTTP {status}, {operation}){detail}")
    return TMDBError(f"TMDB request failed (HTTP {status}, {operation}){detail}")
