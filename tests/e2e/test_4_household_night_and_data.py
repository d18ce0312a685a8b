"""Issue 25 in the browser: household profiles and a movie night between two of them, the 'Now on your services'
notice, and Settings → Your data. At 1440x900 and 390x844 (phone)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS
from tests.e2e.steps import POPOVER_BODY, go, open_page, screenshot, step

HERE = ["1440x900", "390x844"]


def _open_sidebar(page) -> None:
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if expand.count() and expand.first.is_visible():
        expand.first.click()


def _add_profile(page, name: str) -> None:
    _open_sidebar(page)
    page.get_by_role("button", name="➕ Add a profile").click()
    body = page.locator(POPOVER_BODY)
    body.get_by_label("Name").fill(name)
    body.get_by_role("button", name="Add and switch to it").click()
    step(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("combobox", name="Who's watching?")).to_have_value(name)


def _db(suite_db_url):
    from cine_core.db import open_pool

    return open_pool(suite_db_url, max_size=1, name="e2e-household")


def _profile_id(pool, name: str) -> str:
    from cine_core.db import service_transaction as transaction

    with transaction(pool) as conn:
        return conn.execute("select user_id::text as id from household_profiles where name = %s", (name,)).fetchone()["id"]


def _rate_popular(pool, user_id: str, offset: int) -> None:
    from cine_core.app import actions
    from cine_core.db import service_transaction as transaction

    with transaction(pool) as conn:
        ids = [r["id"] for r in conn.execute("select id from movies order by popularity desc limit 8 offset %s",
                                             (offset,)).fetchall()]
    for rank, movie_id in enumerate(ids):
        actions.rate(pool, user_id, movie_id, 5.0 - (rank % 3) * 0.5)


def _invite(page, viewport: str, name: str) -> str:
    """Create an invite code on the Movie night page; returns the code shown."""
    open_page(page, "Movie night", heading="🍿 Movie night")
    page.get_by_label("Your name, as your friend will see it").first.fill(name)
    page.get_by_role("button", name="Create an invite code").click()
    step(page)
    code = re.search(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", page.get_by_text("Your invite code").first.inner_text())
    assert code, "the invite code is shown"
    screenshot(page, viewport, "25-night-invite")
    return code.group(0)


def _join(page, viewport: str, code: str, name: str, friend: str, pool, user_id: str) -> tuple[int, str]:
    """Join with the code; the joint list is computed and shown. Returns its first film's id and title."""
    from cine_core.db import service_transaction

    open_page(page, "Movie night", heading="🍿 Movie night")
    join = page.locator('[data-testid="stForm"]').filter(has_text="Got a code?")
    join.get_by_label("Invite code").fill(code)
    join.get_by_label("Your name, as your friend will see it").fill(name)
    join.get_by_role("button", name="Join").click()
    step(page)
    expect(page.get_by_role("heading", name=f"You and {friend}")).to_be_visible()
    with service_transaction(pool) as conn:
        picks = [r["movie_id"] for r in conn.execute(
            "select p.movie_id from movie_night_picks p join movie_night_pairs n on n.id = p.pair_id"
            " where n.invitee_id = %s and n.ended_at is null order by p.rank", (user_id,)).fetchall()]
    assert picks, "a joint list was computed"
    screenshot(page, viewport, "25-night-joint-list")
    with service_transaction(pool) as conn:
        first_title = conn.execute("select title from movies where id = %s", (picks[0],)).fetchone()["title"]
    expect(page.get_by_text(first_title).first).to_be_visible()
    return picks[0], first_title


def _rate_first_pick(page, viewport: str, friend: str, movie_id: int, title: str, pool, user_id: str) -> None:
    """The same list on one's own Movie night page: open its first film and rate it there, 3.5★."""
    from cine_core.db import service_transaction

    open_page(page, "Movie night", heading="🍿 Movie night")
    expect(page.get_by_role("heading", name=f"You and {friend}")).to_be_visible()
    page.locator('[class*="st-key-night-pick-"]').first.get_by_role("link").first.click()
    page.get_by_role("heading", name="You and this film").wait_for()
    step(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    page.get_by_role("slider").first.focus()
    for _ in range(7):  # 'not rated' -> 3.5★
        page.keyboard.press("ArrowRight")
    step(page)
    page.get_by_role("button", name="Save rating").click()
    step(page)
    expect(page.get_by_text(f"Rated {title}").first).to_be_visible()
    with service_transaction(pool) as conn:
        rated = conn.execute("select rating from ratings where user_id = %s and movie_id = %s",
                             (user_id, movie_id)).fetchone()
    assert rated is not None and float(rated["rating"]) == 3.5, "the rating was saved as its profile"
    screenshot(page, viewport, "25-night-ana-rates")


@pytest.mark.parametrize("viewport", HERE, indirect=True)
def test_movie_night_between_two_household_profiles(browser, page, viewport, app_url, suite_db_url):
    tag = viewport.split("x")[0]
    ana_name, bo_name = f"Ana {tag}", f"Bo {tag}"
    go(page, app_url, heading="Today's picks")
    _add_profile(page, ana_name)
    width, height = VIEWPORTS[viewport]
    phone = width < 640
    other = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    bo_page = other.new_page()
    pool = _db(suite_db_url)
    try:
        go(bo_page, app_url, heading="Today's picks")
        _add_profile(bo_page, bo_name)
        ana, bo = _profile_id(pool, ana_name), _profile_id(pool, bo_name)
        _rate_popular(pool, ana, 0)
        _rate_popular(pool, bo, 4)  # overlapping tastes, different films

        code = _invite(page, viewport, ana_name)
        first_id, first_title = _join(bo_page, viewport, code, bo_name, ana_name, pool, bo)
        # Ana sees the same list on her own Movie night page, opens its first film and rates it there.
        _rate_first_pick(page, viewport, bo_name, first_id, first_title, pool, ana)

        # Ana has now seen it: it leaves the list (trigger). Not a reload: a profile is chosen per browser
        # session (a reload starts a new one, as 'Me').
        open_page(bo_page, "Library", heading="📚 Library")
        open_page(bo_page, "Movie night", heading="🍿 Movie night")
        bo_page.get_by_role("heading", name=f"You and {ana_name}").wait_for()
        expect(bo_page.get_by_role("link", name=first_title, exact=True)).to_have_count(0)
        screenshot(bo_page, viewport, "25-night-after-rating")
    finally:
        other.close()
        pool.close()


@pytest.mark.parametrize("viewport", HERE, indirect=True)
def test_now_on_your_services_notice_and_your_data(page, viewport, app_url, suite_db_url):
    from cine_core.config import LOCAL_USER_ID
    from cine_core.db import service_transaction as transaction

    pool = _db(suite_db_url)
    try:
        with transaction(pool) as conn:
            conn.execute("insert into service_arrivals (user_id, movie_id, region, services, arrived_at)"
                         " values (%s, 27205, 'US', '{Netflix}', now()) on conflict (user_id, movie_id) do update"
                         " set arrived_at = now(), noticed_at = null", (LOCAL_USER_ID,))
    finally:
        pool.close()
    go(page, app_url, heading="Today's picks")
    notice = page.locator('[class*="st-key-arrivals-notice"]')
    expect(notice).to_contain_text("Now on your services")
    expect(notice).to_contain_text("Inception")
    screenshot(page, viewport, "25-arrivals-notice")
    notice.get_by_role("button", name="Got it").click()
    step(page)
    expect(page.locator('[class*="st-key-arrivals-notice"]')).to_have_count(0)

    open_page(page, "Settings", heading="⚙️ Settings")
    page.get_by_role("button", name="Prepare my data").click()
    step(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="⬇️ Download my data").click()
    assert download.value.suggested_filename.startswith("cineai-export-")
    with zipfile.ZipFile(download.value.path()) as archive:  # Letterboxd's files, which CineAI's importer reads
        assert set(archive.namelist()) >= {"ratings.csv", "diary.csv", "watchlist.csv", "reviews.csv", "cineai.json"}
        header = next(csv.reader(io.StringIO(archive.read("ratings.csv").decode())))
        assert header[:5] == ["Date", "Name", "Year", "Letterboxd URI", "Rating"] and "tmdbID" in header
        assert json.loads(archive.read("cineai.json"))["account"]["id"] == LOCAL_USER_ID
    page.get_by_text("Delete my account").first.click()
    expect(page.get_by_text("This deletes, at once and for good:").or_(
        page.get_by_text("CineAI holds nothing of yours")).first).to_be_visible()
    expect(page.get_by_role("button", name="Delete my account and everything in it")).to_be_disabled()
    screenshot(page, viewport, "25-settings-your-data")
