"""Where to watch on the dashboard: the region's providers on cards (from TMDB's watch/providers), the
JustWatch credit, "only what I can stream", and nothing at all offline."""

from __future__ import annotations

from cine_core.db import transaction
from cine_core.domain.watch import UserSettings
from cine_core.settings import save_settings
from tests.app.conftest import insert_picks, popular_ids
from tests.providers_data import APPLE, GOOGLE, MAX, NETFLIX, ProvidersFakeTMDB, fetch_through_tmdb, region_offers


def _html(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _pick_ids(at) -> set[int]:
    return {int(b.key.rsplit("-", 1)[1]) for b in at.button if b.key and b.key.startswith("pick-up-")}


def _setup(pool, user_id: str, services: tuple[str, ...]) -> list[int]:
    films = popular_ids(pool, 6)
    fake = ProvidersFakeTMDB({
        films[0]: region_offers(films[0], flatrate=[NETFLIX], rent=[APPLE], buy=[APPLE, GOOGLE]),
        films[1]: region_offers(films[1], flatrate=[MAX]),
        films[2]: region_offers(films[2], rent=[APPLE]),
    })
    fetch_through_tmdb(pool, fake, films)
    insert_picks(pool, user_id, films)
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(user_id, "US", services))
    return films


def test_cards_show_the_regions_providers_with_the_justwatch_credit(app, pool, local_user):
    films = _setup(pool, local_user, ("Netflix",))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    page = _html(app)
    for name in ("Netflix", "Max", "Apple TV", "Google Play Movies"):
        assert f'alt="{name}"' in page
    assert "Rakuten TV" not in page  # another region's shop
    assert "https://image.tmdb.org/t/p/w92/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg" in page
    assert page.count("data by JustWatch") == 3  # one credit per card with offers, none on the others
    assert f"movie/{films[0]}/watch?locale=US" in page


def test_only_what_i_can_stream_keeps_the_films_on_my_services(app, pool, local_user):
    films = _setup(pool, local_user, ("Netflix", "Max"))
    app.run()
    assert _pick_ids(app) == set(films)
    app.toggle(key="only-streamable").set_value(True).run()
    assert not app.exception
    assert _pick_ids(app) == {films[0], films[1]}  # rent-only and unknown films are left out
    app.toggle(key="only-streamable").set_value(False).run()
    assert _pick_ids(app) == set(films)


def test_the_toggle_says_so_when_nothing_streams_on_my_services(app, pool, local_user):
    _setup(pool, local_user, ("Mubi",))
    app.run()
    app.toggle(key="only-streamable").set_value(True).run()
    assert _pick_ids(app) == set()
    assert any("None of these films stream on Mubi" in i.value for i in app.info)


def test_offline_no_provider_boxes_and_no_toggle(app, pool, local_user):
    insert_picks(pool, local_user, popular_ids(pool, 6))
    app.run()
    assert not app.exception
    assert "JustWatch" not in _html(app) and "cine-where-to-watch" not in _html(app)
    assert not app.toggle  # no services chosen: nothing to filter by


def test_the_film_page_lists_every_offer_under_where_to_watch(app, pool, local_user):
    films = _setup(pool, local_user, ("Netflix",))
    app.run()
    app.query_params["id"] = str(films[0])
    app.switch_page("pages/film.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Where to watch" in [s.value for s in app.subheader]
    assert 'alt="Netflix"' in _html(app) and "data by JustWatch" in _html(app)
    app.query_params["id"] = str(films[3])  # no offers: no heading, no box
    app.switch_page("pages/film.py").run()
    assert "Where to watch" not in [s.value for s in app.subheader]
