"""A person's settings row: defaults, saving, the providers a region is known to have, owner-only RLS."""

from __future__ import annotations

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.watch import UserSettings
from cine_core.settings import known_providers, load_settings, save_settings, settings_of_users
from tests.providers_data import APPLE, MAX, NETFLIX, region_offers, store_providers


def test_a_person_without_a_row_gets_the_default_region_and_no_services(pool, local_user):
    with user_transaction(pool, local_user) as conn:
        assert load_settings(conn, local_user, default_region="GB") == UserSettings(local_user, "GB")


def test_saved_settings_read_back_and_save_again_replaces_them(pool, local_user):
    with user_transaction(pool, local_user) as conn:
        save_settings(conn, UserSettings(local_user, "us", ("Netflix",), weekly_digest=True, digest_day=2))
    with user_transaction(pool, local_user) as conn:
        save_settings(conn, UserSettings(local_user, "DE", ("Netflix", "Max"), digest_email=" a@b.example "))
        loaded = load_settings(conn, local_user, default_region="US")
    assert loaded == UserSettings(local_user, "DE", ("Netflix", "Max"), digest_email="a@b.example")


def test_known_providers_come_from_stored_films_of_that_region_most_films_first(pool, local_user):
    store_providers(pool, {27205: region_offers(27205, flatrate=[MAX, NETFLIX], rent=[APPLE]),
                           157336: region_offers(157336, flatrate=[NETFLIX])})
    with user_transaction(pool, local_user) as conn:
        assert known_providers(conn, "us") == ["Netflix", "Max"]  # rent-only shops are not services
        assert known_providers(conn, "FR") == []


def test_a_person_can_neither_read_nor_write_another_persons_settings(pool, make_user):
    a, b = make_user("a@example.com"), make_user("b@example.com")
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(a, "US", ("Netflix",), weekly_digest=True))
    with user_transaction(pool, b) as conn:
        assert conn.execute("select * from user_settings").fetchall() == []
        assert settings_of_users(conn, [a], default_region="US") == {}
    with pytest.raises(DataError, match="Not allowed"), user_transaction(pool, b) as conn:
        save_settings(conn, UserSettings(a, "US", ()))
    with user_transaction(pool, b) as conn:
        conn.execute("update user_settings set weekly_digest = false where user_id = %s", (a,))
    with transaction(pool) as conn:
        assert settings_of_users(conn, [a], default_region="US")[a].weekly_digest is True


def test_anonymous_visitors_cannot_touch_settings(pool, local_user):
    with pytest.raises(DataError, match="Not allowed"), transaction(pool) as conn:
        conn.execute("set local role anon")
        conn.execute("select * from user_settings")
