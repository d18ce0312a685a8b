"""Watch providers in TMDB's real response shape (tests/fixtures/tmdb/movie-watch-providers.json)."""

from __future__ import annotations

import json
import re

import httpx

from cine_core.db import transaction
from cine_core.films.cache import MovieStore
from tests.fake_tmdb import FakeTMDB

NETFLIX = {"logo_path": "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg", "provider_id": 8, "provider_name": "Netflix",
           "display_priority": 0}
MAX = {"logo_path": "/6Q3ZYUNA9Hsgj6iWnVsw2gR5V6z.jpg", "provider_id": 1899, "provider_name": "Max",
       "display_priority": 3}
APPLE = {"logo_path": "/9ghgSC0MA082EL6HLCW3GalykFD.jpg", "provider_id": 2, "provider_name": "Apple TV",
         "display_priority": 1}
GOOGLE = {"logo_path": "/8z7rC8uIDaTM91X0ZfkRf04ydj2.jpg", "provider_id": 3, "provider_name": "Google Play Movies",
          "display_priority": 3}


def region_offers(movie_id: int, *, flatrate: list[dict] | None = None, rent: list[dict] | None = None,
                  buy: list[dict] | None = None) -> dict:
    """One region's entry of `watch/providers.results`."""
    offers: dict = {"link": f"https://www.themoviedb.org/movie/{movie_id}/watch?locale=US"}
    for kind, entries in (("flatrate", flatrate), ("rent", rent), ("buy", buy)):
        if entries:
            offers[kind] = entries
    return offers


def store_providers(pool, providers: dict[int, dict], region: str = "US") -> None:
    """Write `movies.watch_providers` the way the TMDB client stores them ({region: offers})."""
    with transaction(pool) as conn:
        for movie_id, offers in providers.items():
            conn.execute("update movies set watch_providers = %s::jsonb where id = %s",
                         (json.dumps({region: offers}), movie_id))


class ProvidersFakeTMDB(FakeTMDB):
    """The fake TMDB whose movie details also carry `watch/providers` (several regions, as TMDB sends them)."""

    def __init__(self, providers: dict[int, dict], region: str = "US") -> None:
        super().__init__()
        self.providers = providers  # movie id -> that region's offers
        self.region = region

    def __call__(self, request: httpx.Request) -> httpx.Response:
        response = super().__call__(request)
        match = re.match(r"^/3/movie/(\d+)$", request.url.path)
        if match and response.status_code == 200 and int(match.group(1)) in self.providers:
            movie_id = int(match.group(1))
            other = {"link": f"https://www.themoviedb.org/movie/{movie_id}/watch?locale=AL",
                     "buy": [{"logo_path": "/bZvc9dXrXNly7cA0V4D9pR8yJwm.jpg", "provider_id": 35,
                              "provider_name": "Rakuten TV", "display_priority": 9}]}
            body = {**response.json(), "watch/providers": {
                "results": {self.region: self.providers[movie_id], "AL": other}}}
            return httpx.Response(200, json=body)
        return response


def fetch_through_tmdb(pool, fake: ProvidersFakeTMDB, movie_ids: list[int]) -> None:
    """Store films the way the app and worker do: details from (fake) TMDB into `movies` via the film cache."""
    client = fake.client(region=fake.region)
    try:
        MovieStore(pool, client).get(movie_ids)
    finally:
        client.close()
