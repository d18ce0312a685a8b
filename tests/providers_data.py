"""Watch providers in TMDB's real response shape (see /work/shared/data/tmdb_api_fixtures/*/movie-watch-providers.json)."""

from __future__ import annotations

import json

from cine_core.db import transaction

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
