"""'Now on your services': the worker's pass against the TMDB stand-in, whose providers change between passes,
and Apprise pushing to a local HTTP sink (json://)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from cine_core.alerts import dismiss_arrivals, new_arrivals
from cine_core.config import get_settings
from cine_core.db import transaction, user_transaction
from cine_core.films.tmdb.transport import TMDBTransport
from cine_core.metering.usage import UsageRecorder
from tests.fake_tmdb import FakeTMDB
from tests.providers_data import MAX, NETFLIX, region_offers
from worker.provider_checks import run_provider_pass

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
FILM, OTHER_FILM = 27205, 157336


class _Sink(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        type(self).received.append(json.loads(self.rfile.read(length) or b"{}"))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def sink():
    _Sink.received = []
    server = HTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/", _Sink.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def tmdb(pool):
    fake = FakeTMDB()
    transport = TMDBTransport(api_key="fake", base_url="https://tmdb.test/3", usage=UsageRecorder(pool),
                              http_client=httpx.Client(transport=httpx.MockTransport(fake)),
                              sleep=lambda seconds: None, requests_per_second=0)
    yield fake, transport
    transport.close()


@pytest.fixture
def two_people(pool, make_user, sink):
    """Ana (US, Netflix, pushes to the sink) and Bo (US, Max): both want FILM; Ana also OTHER_FILM."""
    ana, bo = make_user("ana@example.com"), make_user("bo@example.com")
    with transaction(pool) as conn:
        conn.execute("insert into user_settings (user_id, region, streaming_services, notify_url)"
                     " values (%s, 'US', '{Netflix}', %s), (%s, 'US', '{Max}', null)", (ana, sink[0], bo))
        conn.execute("insert into watchlist (user_id, movie_id) values (%s, %s), (%s, %s), (%s, %s)",
                     (ana, FILM, ana, OTHER_FILM, bo, FILM))
    return ana, bo


def _requests(pool) -> int:
    with transaction(pool) as conn:
        return conn.execute("select count(*) as n from api_usage where operation = 'watch_providers'").fetchone()["n"]


def test_a_film_arriving_on_a_service_is_told_once_and_pushed_once(pool, tmdb, two_people, sink):
    fake, transport = tmdb
    ana, bo = two_people
    settings = get_settings()
    fake.providers = {FILM: {"US": region_offers(FILM, rent=[MAX])}, OTHER_FILM: {"US": region_offers(OTHER_FILM)}}
    assert run_provider_pass(pool, settings, transport=transport, now=T0) == 0, "the first check only sets a baseline"
    assert fake.count("watch_providers") == 2 and _requests(pool) == 2, "one request per film, for everybody"

    assert run_provider_pass(pool, settings, transport=transport, now=T0 + timedelta(hours=1)) == 0
    assert fake.count("watch_providers") == 2, "checked within the TTL: cached per film and region"

    fake.providers[FILM] = {"US": region_offers(FILM, flatrate=[NETFLIX], rent=[MAX])}
    assert run_provider_pass(pool, settings, transport=transport, now=T0 + DAY) == 1, "Ana's Netflix; not Bo's Max"
    assert fake.count("watch_providers") == 4 and _requests(pool) == 4
    assert len(sink[1]) == 1
    assert sink[1][0]["title"] == "Now on your services" and "Inception (2010): now on Netflix" in sink[1][0]["message"]
    with user_transaction(pool, ana) as conn:
        assert [a.line for a in new_arrivals(conn, ana)] == ["Inception (2010) is now on Netflix"]
    with user_transaction(pool, bo) as conn:
        assert new_arrivals(conn, bo) == []

    fake.providers[FILM] = {"US": region_offers(FILM, rent=[MAX])}  # it leaves Netflix…
    run_provider_pass(pool, settings, transport=transport, now=T0 + 2 * DAY)
    fake.providers[FILM] = {"US": region_offers(FILM, flatrate=[NETFLIX])}  # …and comes back
    assert run_provider_pass(pool, settings, transport=transport, now=T0 + 3 * DAY) == 0, "never twice for one film"
    assert len(sink[1]) == 1, "pushed once"


def test_a_dismissed_notice_stays_dismissed(pool, tmdb, two_people):
    fake, transport = tmdb
    ana, _ = two_people
    fake.providers = {FILM: {}}
    run_provider_pass(pool, get_settings(), transport=transport, now=T0)
    fake.providers = {FILM: {"US": region_offers(FILM, flatrate=[NETFLIX])}}
    run_provider_pass(pool, get_settings(), transport=transport, now=T0 + DAY)
    with user_transaction(pool, ana) as conn:
        assert len(new_arrivals(conn, ana)) == 1
        assert dismiss_arrivals(conn, ana) == 1
    with user_transaction(pool, ana) as conn:
        assert new_arrivals(conn, ana) == []


def test_tmdb_down_leaves_the_films_for_the_next_pass(pool, tmdb, two_people):
    fake, transport = tmdb
    fake.mode = "down"
    transport.max_retries = 0
    assert run_provider_pass(pool, get_settings(), transport=transport, now=T0) == 0
    fake.mode = "ok"
    fake.providers = {FILM: {"US": region_offers(FILM, flatrate=[NETFLIX])}}
    run_provider_pass(pool, get_settings(), transport=transport, now=T0 + timedelta(minutes=5))
    with transaction(pool) as conn:
        checked = conn.execute("select count(*) as n from film_provider_checks").fetchone()["n"]
    assert checked == 2, "checked once TMDB answered, not skipped as if cached"


def test_the_top_picks_are_watched_too_and_only_the_top_twelve(pool, tmdb, make_user):
    """Cy has no watchlist: the pass follows their 12 best picks, not the 13th."""
    fake, transport = tmdb
    cy = make_user("cy@example.com")
    with transaction(pool) as conn:
        films = [r["id"] for r in conn.execute("select id from movies order by popularity desc limit 13").fetchall()]
        conn.execute("insert into user_settings (user_id, region, streaming_services) values (%s, 'US', '{Netflix}')",
                     (cy,))
        for rank, movie_id in enumerate(films):
            conn.execute("insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                         " values (%s, %s, 'because', 'trending', %s)", (cy, movie_id, 0.95 - rank / 100))
    fake.providers = {movie_id: {} for movie_id in films}
    run_provider_pass(pool, get_settings(), transport=transport, now=T0)
    assert fake.count("watch_providers") == 12, "one request per top pick; the 13th is not asked about"
    fake.providers = {movie_id: {"US": region_offers(movie_id, flatrate=[NETFLIX])} for movie_id in films}
    assert run_provider_pass(pool, get_settings(), transport=transport, now=T0 + DAY) == 12
    with user_transaction(pool, cy) as conn:
        assert {a.movie_id for a in new_arrivals(conn, cy)} == set(films[:12])
