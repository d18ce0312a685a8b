"""TMDBClient against httpx.MockTransport replaying real TMDB JSON (tests/fixtures/tmdb)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from cine_core.domain.errors import TMDBAuthError, TMDBError, TMDBNotFound, TMDBRateLimited, TMDBUnavailable
from cine_core.films.tmdb.client import TMDBClient
from cine_core.metering.usage import UsageRecorder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tmdb"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


ROUTES = {
    "/3/genre/movie/list": "genre-movie-list.json",
    "/3/movie/550": "movie-details-append-response.json",
    "/3/movie/550/recommendations": "movie-recommendations.json",
    "/3/movie/550/similar": "movie-similar.json",
    "/3/search/movie": "search-movie.json",
    "/3/trending/movie/day": "trending-all.json",
    "/3/trending/movie/week": "movie-popular.json",
    "/3/discover/movie": "movie-popular.json",
}


class Recorder:
    """A MockTransport handler: replays fixtures, or a scripted list of responses; logs requests."""

    def __init__(self, script: list | None = None) -> None:
        self.script = list(script or [])
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path != "/3/genre/movie/list" and self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        if request.url.path.startswith("/3/find/"):
            item = fixture("search-movie.json")["results"][0]
            return httpx.Response(200, json={"movie_results": [item], "person_results": []})
        name = ROUTES.get(request.url.path)
        if name is None:
            return httpx.Response(404, json=fixture("resource-not-found.json"))
        return httpx.Response(200, json=fixture(name))

    def last(self) -> httpx.Request:
        return [r for r in self.requests if r.url.path != "/3/genre/movie/list"][-1]

    def calls(self, path: str) -> int:
        return sum(r.url.path == path for r in self.requests)


def make_client(handler: Recorder, sleeps: list | None = None, **kw) -> TMDBClient:
    return TMDBClient(
        api_key="test-key", base_url="https://tmdb.test/3", http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=(sleeps.append if sleeps is not None else (lambda s: None)), requests_per_second=0, **kw,
    )


def test_details_maps_credits_keywords_and_watch_providers():
    handler = Recorder()
    movie = make_client(handler).details(550)
    assert (movie.id, movie.title, movie.year, movie.source) == (550, "Fight Club", 1999, "tmdb")
    assert movie.directors == ("David Fincher",)
    assert movie.cast[0] == "Edward Norton"
    assert "Drama" in movie.genres and movie.keywords
    assert movie.watch_providers["US"]["flatrate"][0]["provider_name"] == "Netflix"
    assert movie.imdb_id == "tt0137523" and movie.fetched_at is not None
    request = handler.requests[0]
    assert request.url.params["append_to_response"] == "credits,keywords,watch/providers,release_dates"
    assert request.url.params["api_key"] == "test-key"


def test_bearer_token_goes_in_the_header_not_the_query():
    handler = Recorder()
    client = TMDBClient(read_access_token="v4-token", base_url="https://tmdb.test/3",
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)), requests_per_second=0)
    client.details(550)
    assert handler.requests[0].headers["Authorization"] == "Bearer v4-token"
    assert "api_key" not in handler.requests[0].url.params


def test_list_items_get_genre_names_from_the_genre_list():
    handler = Recorder()
    client = make_client(handler)
    similar = client.similar(550)
    assert similar and all(m.source == "tmdb" for m in similar)
    expected = {g["id"]: g["name"] for g in fixture("genre-movie-list.json")["genres"]}
    first = fixture("movie-similar.json")["results"][0]
    assert similar[0].genres == tuple(expected[g] for g in first["genre_ids"])
    client.recommendations(550)
    assert handler.calls("/3/genre/movie/list") == 1  # fetched once per client


def test_trending_keeps_only_movies():
    movies = make_client(Recorder()).trending("day")
    assert [m.title for m in movies] == ["The Housemaid"]


def test_search_sends_title_and_year():
    handler = Recorder()
    found = make_client(handler).search("RRRrrrr", 2004)
    assert found[0].id == 21778
    params = handler.last().url.params
    assert (params["query"], params["year"]) == ("RRRrrrr", "2004")


def test_discover_maps_genre_names_to_ids_and_years_to_dates():
    handler = Recorder()
    make_client(handler).discover(genres=["Horror", "Comedy"], year_from=1990, year_to=1999, runtime_max=100)
    params = handler.last().url.params
    assert params["with_genres"] == "27,35"
    assert params["primary_release_date.gte"] == "1990-01-01"
    assert params["primary_release_date.lte"] == "1999-12-31"
    assert params["with_runtime.lte"] == "100"


def test_find_imdb_uses_external_source():
    handler = Recorder()
    movie = make_client(handler).find_imdb("tt0362526")
    assert movie.id == 21778
    assert handler.last().url.params["external_source"] == "imdb_id"


def test_429_is_retried_honouring_retry_after():
    sleeps: list[float] = []
    handler = Recorder([httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(429, headers={"Retry-After": "1.5"})])
    movie = make_client(handler, sleeps, max_retries=2).details(550)
    assert movie.id == 550
    assert sleeps == [3.0, 1.5]
    assert handler.calls("/3/movie/550") == 3


def test_429_exhausting_retries_raises_rate_limited_after_max_retries_plus_one_calls():
    sleeps: list[float] = []
    handler = Recorder([httpx.Response(429)] * 5)
    with pytest.raises(TMDBRateLimited):
        make_client(handler, sleeps, max_retries=2).details(550)
    assert handler.calls("/3/movie/550") == 3
    assert len(sleeps) == 2 and 0 < sleeps[0] < sleeps[1] <= 8.0  # jittered exponential backoff


def test_503_is_retried_then_succeeds():
    sleeps: list[float] = []
    handler = Recorder([httpx.Response(503), httpx.Response(503)])
    assert make_client(handler, sleeps, max_retries=2).details(550).id == 550
    assert handler.calls("/3/movie/550") == 3 and len(sleeps) == 2


def test_503_exhausting_retries_is_unavailable():
    handler = Recorder([httpx.Response(503)] * 4)
    with pytest.raises(TMDBUnavailable):
        make_client(handler, max_retries=3).details(550)
    assert handler.calls("/3/movie/550") == 4


def test_401_is_an_auth_error_with_one_clear_message_and_no_retry():
    handler = Recorder([httpx.Response(401, json=fixture("invalid-api-key.json"))])
    with pytest.raises(TMDBAuthError) as caught:
        make_client(handler).details(550)
    assert "TMDB_API_KEY" in str(caught.value) and "Invalid API key" in str(caught.value)
    assert handler.calls("/3/movie/550") == 1


def test_404_is_not_found_without_retry():
    handler = Recorder()
    with pytest.raises(TMDBNotFound):
        make_client(handler).details(999999999)
    assert handler.calls("/3/movie/999999999") == 1


def test_timeouts_are_retried_then_unavailable():
    handler = Recorder([httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(TMDBUnavailable, match="timed out"):
        make_client(handler, max_retries=2).details(550)
    assert handler.calls("/3/movie/550") == 3


def test_connect_error_then_success():
    handler = Recorder([httpx.ConnectError("refused")])
    assert make_client(handler, max_retries=1).details(550).id == 550


def test_malformed_json_is_a_typed_error():
    handler = Recorder([httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"})])
    with pytest.raises(TMDBError, match="malformed JSON"):
        make_client(handler).details(550)


def test_unexpected_shape_is_a_typed_error():
    handler = Recorder([httpx.Response(200, json={"id": "not-a-number"})])
    with pytest.raises(TMDBError, match="unexpected response"):
        make_client(handler).details(550)


def test_missing_credentials_is_an_auth_error():
    with pytest.raises(TMDBAuthError):
        TMDBClient()


def test_every_call_is_counted_in_api_usage(pool):
    handler = Recorder([httpx.Response(503)])
    client = make_client(handler, usage=UsageRecorder(pool))
    client.details(550)
    with pool.connection() as conn:
        rows = conn.execute("select operation, ok from public.api_usage order by id").fetchall()
    assert [(r["operation"], r["ok"]) for r in rows] == [("movie_details", False), ("movie_details", True)]
