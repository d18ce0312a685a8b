"""TMDB JSON from outside: what does not parse is a TMDBError; poster paths keep TMDB's shape or are dropped."""

from __future__ import annotations

import httpx
import pytest

from cine_core.domain.errors import TMDBError
from cine_core.films.tmdb.client import TMDBClient

HOSTILE_POSTERS = [
    "/x.jpg');background:url('https://evil.example/steal",
    "/a.jpg\" onmouseover=\"alert(1)",
    "https://evil.example/p.jpg",
    "/../../etc/passwd.jpg",
    "/abc.svg",
    "/abc.jpg\n",
    "",
    42,
]


def _client(body: bytes | dict, status: int = 200) -> TMDBClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/genre/movie/list"):
            return httpx.Response(200, json={"genres": []})
        if isinstance(body, dict):
            return httpx.Response(status, json=body)
        return httpx.Response(status, content=body, headers={"content-type": "application/json"})

    return TMDBClient(api_key="k", base_url="https://tmdb.test/3", http_client=httpx.Client(transport=httpx.MockTransport(handler)),
                      sleep=lambda s: None, requests_per_second=0, max_retries=0)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe garbage", b"[" * 100_000 + b"]" * 100_000,
                                  b'{"results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", b"[1, 2]", b"null"],
                         ids=["not-json", "not-utf8", "nested-100k", "nested-in-results", "a-list", "null"])
def test_json_that_does_not_parse_is_a_tmdb_error(body):
    with pytest.raises(TMDBError):
        _client(body).trending("day")
    with pytest.raises(TMDBError):
        _client(body, status=500).details(27205)


@pytest.mark.parametrize("poster", HOSTILE_POSTERS)
def test_a_poster_path_outside_tmdbs_shape_is_dropped(poster):
    item = {"id": 27205, "title": "Inception", "poster_path": poster, "media_type": "movie"}
    listed = _client({"page": 1, "total_pages": 1, "results": [item]}).trending("day")
    details = _client({**item, "genres": []}).details(27205)
    assert listed[0].poster_path is None and details.poster_path is None


@pytest.mark.parametrize("poster", ["/9gk7adHYeDvHkCSEqAvQNLV5Uge.jpg", "/a_b-C.png", "/x.webp", "/y.jpeg"])
def test_a_real_poster_path_is_kept(poster):
    item = {"id": 27205, "title": "Inception", "poster_path": poster, "media_type": "movie"}
    assert _client({"page": 1, "total_pages": 1, "results": [item]}).trending("day")[0].poster_path == poster
