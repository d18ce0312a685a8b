"""The TMDB circuit breaker: a dead or hanging TMDB is stopped being called for a cool-down."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from cine_core.domain.errors import TMDBNotFound, TMDBUnavailable
from cine_core.films.tmdb.breaker import CircuitBreaker, CircuitOpen
from cine_core.films.tmdb.transport import TMDBTransport


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Tmdb:
    """A MockTransport handler answering from a list of outcomes (the last one repeats)."""

    def __init__(self, *outcomes) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def transport(handler, breaker, *, max_retries: int = 0) -> TMDBTransport:
    return TMDBTransport(api_key="k", base_url="https://tmdb.test/3", max_retries=max_retries,
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)), requests_per_second=0,
                        sleep=lambda s: None, breaker=breaker)


def test_three_failed_calls_open_the_breaker_and_later_calls_fail_at_once_without_calling():
    clock = Clock()
    tmdb = Tmdb(httpx.ConnectError("refused"))
    client = transport(tmdb, CircuitBreaker(clock=clock))
    for _ in range(3):
        with pytest.raises(TMDBUnavailable, match="Cannot reach"):
            client.get("movie/1", operation="details")
    assert client.breaker.is_open and tmdb.calls == 3
    started = time.monotonic()
    with pytest.raises(CircuitOpen, match="not called"):
        client.get("movie/1", operation="details")
    assert tmdb.calls == 3 and time.monotonic() - started < 0.1


def test_after_the_cool_down_one_probe_decides():
    clock = Clock()
    tmdb = Tmdb(*[httpx.Response(503)] * 4, httpx.Response(200, json={"id": 1}))
    client = transport(tmdb, CircuitBreaker(failed_calls=2, cool_down_seconds=30, clock=clock))
    for _ in range(2):
        with pytest.raises(TMDBUnavailable):
            client.get("movie/1", operation="details")
    clock.now += 31
    with pytest.raises(TMDBUnavailable):  # the probe fails: open again at once
        client.get("movie/1", operation="details")
    assert client.breaker.is_open and tmdb.calls == 3
    with pytest.raises(CircuitOpen):
        client.get("movie/1", operation="details")
    clock.now += 31
    tmdb.outcomes = [httpx.Response(200, json={"id": 1})]
    assert client.get("movie/1", operation="details") == {"id": 1}  # the probe succeeds: closed
    assert not client.breaker.is_open
    assert client.get("movie/1", operation="details") == {"id": 1}


def test_a_not_found_shows_tmdb_is_up_and_resets_the_count():
    tmdb = Tmdb(httpx.ConnectError("refused"), httpx.ConnectError("refused"), httpx.Response(404),
                httpx.ConnectError("refused"))
    client = transport(tmdb, CircuitBreaker(failed_calls=3))
    for expected in (TMDBUnavailable, TMDBUnavailable, TMDBNotFound, TMDBUnavailable, TMDBUnavailable):
        with pytest.raises(expected):
            client.get("movie/1", operation="details")
    assert not client.breaker.is_open  # never three failures in a row


def test_retries_within_a_call_are_not_cut_short_by_quick_failures():
    tmdb = Tmdb(httpx.Response(503))
    client = transport(tmdb, CircuitBreaker(failed_calls=3), max_retries=3)
    with pytest.raises(TMDBUnavailable):
        client.get("movie/1", operation="details")
    assert tmdb.calls == 4 and not client.breaker.is_open


def test_a_hanging_tmdb_costs_one_read_timeout_then_nothing():
    """A real socket that accepts connections and never answers, with a real httpx client."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        client = TMDBTransport(api_key="k", base_url=f"http://127.0.0.1:{port}/3", timeout=1.0, max_retries=2,
                               requests_per_second=0, breaker=CircuitBreaker(failing_seconds=0.9))
        try:
            started = time.monotonic()
            with pytest.raises(TMDBUnavailable):
                client.get("trending/movie/day", operation="trending")
            first = time.monotonic() - started
            started = time.monotonic()
            for _ in range(10):  # e.g. the rest of a refresh's list calls
                with pytest.raises(CircuitOpen):
                    client.get("trending/movie/day", operation="trending")
            rest = time.monotonic() - started
        finally:
            client.close()
    assert 0.9 <= first < 2.0, first  # one read timeout, no retries into the hang
    assert rest < 0.1, rest


def test_real_clients_share_one_breaker_per_base_url_and_mocked_ones_do_not():
    a = TMDBTransport(api_key="k", base_url="https://shared.test/3")
    b = TMDBTransport(api_key="k", base_url="https://shared.test/3/")
    mocked = transport(Tmdb(httpx.Response(200, json={})), None)
    try:
        assert a.breaker is b.breaker and mocked.breaker is not a.breaker
    finally:
        for client in (a, b, mocked):
            client.close()
