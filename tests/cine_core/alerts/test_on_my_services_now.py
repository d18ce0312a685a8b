"""The Library's "Only what's on my services now": the person's unwatched watchlist films that stream (not rent,
not buy) on one of their services in their region, from the providers the worker stored."""

from __future__ import annotations

from cine_core.app import actions
from cine_core.app.arrivals import on_my_services_now
from cine_core.config import get_settings
from cine_core.db import transaction
from tests.providers_data import APPLE, MAX, NETFLIX, region_offers, store_providers

HEAT, INCEPTION, ARRIVAL, AMELIE, MATRIX = 949, 27205, 329865, 194, 603


def _services(pool, user: str, region: str | None, services: list[str]) -> None:
    with transaction(pool) as conn:
        conn.execute("insert into user_settings (user_id, region, streaming_services) values (%s, %s, %s)"
                     " on conflict (user_id) do update set region = excluded.region,"
                     " streaming_services = excluded.streaming_services", (user, region, services))


def test_only_watchlist_films_streaming_on_my_services_in_my_region(pool, local_user, make_user):
    for movie_id in (HEAT, INCEPTION, ARRIVAL, AMELIE, MATRIX):
        actions.add_to_watchlist(pool, local_user, movie_id)
    store_providers(pool, {
        HEAT: region_offers(HEAT, flatrate=[NETFLIX]),  # streams on my service: in
        INCEPTION: region_offers(INCEPTION, rent=[NETFLIX], buy=[APPLE]),  # only to rent there: out
        ARRIVAL: region_offers(ARRIVAL, flatrate=[MAX]),  # on a service I do not have: out
        MATRIX: region_offers(MATRIX, flatrate=[NETFLIX]),  # in, until I watch it
    })
    store_providers(pool, {AMELIE: region_offers(AMELIE, flatrate=[NETFLIX])}, region="FR")  # another region: out
    settings = get_settings()
    assert on_my_services_now(pool, settings, local_user) == set(), "no services chosen: nothing"

    _services(pool, local_user, "US", ["Netflix"])
    assert on_my_services_now(pool, settings, local_user) == {HEAT, MATRIX}
    actions.mark_watched(pool, local_user, MATRIX)
    assert on_my_services_now(pool, settings, local_user) == {HEAT}, "a watched film leaves the filter"

    _services(pool, local_user, "FR", ["netflix"])  # a service's name in any case
    assert on_my_services_now(pool, settings, local_user) == {AMELIE}

    other = make_user("other@example.com")  # someone else's services and watchlist are theirs alone
    _services(pool, other, "US", ["Netflix", "Max"])
    actions.add_to_watchlist(pool, other, ARRIVAL)
    assert on_my_services_now(pool, settings, other) == {ARRIVAL}
