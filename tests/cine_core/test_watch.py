"""Reading TMDB's watch/providers for one region (real response shape from the shared fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from cine_core.domain.watch import can_stream, where_to_watch

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "tmdb" / "movie-watch-providers.json"
AE_LIKE = {
    "AE": {
        "link": "https://www.themoviedb.org/movie/550-fight-club/watch?locale=AE",
        "rent": [{"logo_path": "/a.jpg", "provider_id": 3, "provider_name": "Google Play Movies", "display_priority": 3},
                 {"logo_path": "/b.jpg", "provider_id": 2, "provider_name": "Apple TV", "display_priority": 1}],
        "flatrate": [{"logo_path": "/c.jpg", "provider_id": 8, "provider_name": "Netflix", "display_priority": 0}],
        "ads": [{"logo_path": "/d.jpg", "provider_id": 300, "provider_name": "Pluto TV", "display_priority": 5},
                {"logo_path": "/c.jpg", "provider_id": 8, "provider_name": "Netflix", "display_priority": 0}],
    }
}


def test_offers_are_split_into_stream_rent_buy_in_display_order():
    offers = where_to_watch(AE_LIKE, "ae")
    assert offers is not None and offers.region == "AE"
    assert [p.name for p in offers.stream] == ["Netflix", "Pluto TV"]  # flatrate + ads, one Netflix
    assert [p.name for p in offers.rent] == ["Apple TV", "Google Play Movies"]
    assert offers.buy == ()
    assert offers.stream[0].logo_url() == "https://image.tmdb.org/t/p/w92/c.jpg"
    assert offers.link.endswith("locale=AE")


def test_no_data_or_another_region_gives_nothing():
    assert where_to_watch(None, "US") is None
    assert where_to_watch({}, "US") is None
    assert where_to_watch(AE_LIKE, "US") is None
    assert where_to_watch({"US": {"link": "x"}}, "US") is None  # a link but no offers: no empty box


def test_can_stream_only_on_my_services_and_not_by_renting():
    assert can_stream(AE_LIKE, "AE", ["netflix"])
    assert not can_stream(AE_LIKE, "AE", ["Apple TV"])  # rent only
    assert not can_stream(AE_LIKE, "AE", [])
    assert not can_stream(None, "AE", ["Netflix"])


def test_every_region_of_a_real_tmdb_response_parses():
    results = json.loads(FIXTURE.read_text())["results"]
    parsed = {region: where_to_watch(results, region) for region in results}
    assert all(offers is not None for offers in parsed.values())
    assert any(offers.stream for offers in parsed.values())
