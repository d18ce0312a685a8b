"""The Settings page: region, my streaming services, the weekly email opt-in (only with SMTP configured)."""

from __future__ import annotations

import pytest

from cine_core.config import get_settings
from cine_core.db import transaction
from tests.providers_data import MAX, NETFLIX, region_offers, store_providers


def _row(pool, user_id: str) -> dict | None:
    with transaction(pool) as conn:
        return conn.execute("select * from user_settings where user_id = %s", (user_id,)).fetchone()


def test_offline_the_page_shows_the_default_region_no_services_and_no_email_option(app, pool, local_user):
    app.switch_page("pages/settings.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="settings-region").value == "US"
    assert not app.multiselect  # no empty picker without provider data
    assert any("No streaming services are known" in c.value for c in app.caption)
    assert not app.toggle  # no SMTP: no weekly email
    app.button(key="settings-save").click().run()
    assert _row(pool, local_user)["region"] == "US"


def test_region_defaults_to_cine_region(app, monkeypatch):
    monkeypatch.setenv("CINE_REGION", "gb")
    get_settings.cache_clear()
    app.switch_page("pages/settings.py").run()
    assert app.selectbox(key="settings-region").value == "GB"


def test_my_services_offer_the_regions_providers_and_are_saved(app, pool, local_user):
    store_providers(pool, {27205: region_offers(27205, flatrate=[NETFLIX, MAX])})
    app.switch_page("pages/settings.py").run()
    picker = app.multiselect(key="settings-services")
    assert set(picker.options) == {"Netflix", "Max"}
    picker.set_value(["Netflix"]).run()
    app.button(key="settings-save").click().run()
    assert not app.exception
    assert _row(pool, local_user)["streaming_services"] == ["Netflix"]
    assert any("Settings saved" in s.value for s in app.success)


@pytest.fixture
def smtp_configured(monkeypatch):
    monkeypatch.setenv("SMTP_URL", "smtp://user:secret@127.0.0.1:2525")
    monkeypatch.setenv("CINE_MAIL_FROM", "CineAI <cine@example.com>")
    monkeypatch.setenv("CINE_SECRET_KEY", "test-secret")
    get_settings.cache_clear()


def test_with_smtp_the_weekly_email_can_be_switched_on(app, pool, local_user, smtp_configured):
    app.switch_page("pages/settings.py").run()
    app.toggle(key="settings-digest").set_value(True).run()
    assert app.text_input(key="settings-email").value == "me@cineai.local"
    app.selectbox(key="settings-day").set_value(0).run()
    app.button(key="settings-save").click().run()
    assert not app.exception
    row = _row(pool, local_user)
    assert (row["weekly_digest"], row["digest_email"], row["digest_day"]) == (True, "me@cineai.local", 0)


def test_an_invalid_email_is_refused_with_a_message(app, pool, local_user, smtp_configured):
    app.switch_page("pages/settings.py").run()
    app.toggle(key="settings-digest").set_value(True).run()
    app.text_input(key="settings-email").set_value("not an email").run()
    app.button(key="settings-save").click().run()
    assert any("Saving your settings failed" in e.value for e in app.error)
    assert _row(pool, local_user) is None


def test_a_region_is_shown_and_found_by_its_country_name(app):
    from cine_core.domain.regions import find_region

    app.switch_page("pages/settings.py").run()
    picker = app.selectbox(key="settings-region")
    assert "Argentina (AR)" in picker.options  # the picker's search matches the label: "Argentina" finds AR
    assert find_region("argentina") == "AR" and find_region("AR") == "AR" and find_region("Narnia") is None
    picker.set_value("AR").run()
    app.button(key="settings-save").click().run()
    assert app.selectbox(key="settings-region").value == "AR"


def test_your_data_downloads_a_zip_and_deletion_shows_what_goes_first(app, pool, local_user):
    import io
    import zipfile

    with transaction(pool) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 27205, 4)", (local_user,))
    app.switch_page("pages/settings.py").run()
    app.button(key="account-prepare").click().run()
    assert not app.exception, [e.value for e in app.exception]
    data = app.session_state["cine_export_zip"][1]
    assert "ratings.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any("- Ratings: 1" in m.value for m in app.markdown)
    assert app.button(key="account-delete").disabled
    app.text_input(key="account-confirm").set_value("DELETE").run()
    app.button(key="account-delete").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Your account is deleted" in s.value for s in app.success)
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 0
        assert conn.execute("select count(*) as n from auth.users where id = %s", (local_user,)).fetchone()["n"] == 1


def test_a_notification_url_apprise_knows_is_saved_and_an_unknown_one_refused(app, pool, local_user):
    app.switch_page("pages/settings.py").run()
    app.text_input(key="settings-notify").set_value("nosuchscheme://x")
    app.button(key="settings-save").click().run()
    assert any("not one Apprise knows" in e.value for e in app.error)
    assert _row(pool, local_user) is None, "nothing saved"
    app.text_input(key="settings-notify").set_value("json://127.0.0.1:9/")
    app.button(key="settings-save").click().run()
    assert _row(pool, local_user)["notify_url"] == "json://127.0.0.1:9/"
