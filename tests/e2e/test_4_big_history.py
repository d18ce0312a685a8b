"""Journey (issue 23): a cinephile's large Letterboxd export (900 ratings, 2,500 watchlist films, 900 reviews with
HTML) imported through the Library, then the chat still answers, a library search answers quickly and rates,
the watchlist is paged, and Refresh brings new picks onto the dashboard without a reload. At a desktop and a
phone viewport; runs after the other journeys (the suite shares one person)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.big_export import build_big_export
from tests.e2e.library_steps import choose_search_result, rate_with_pills
from tests.e2e.steps import go, open_page, screenshot, step

# One journey imports ~6,000 rows and waits for a refresh: more than the suite's 300 s per test on 2 cores.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

IMPORT_MS = 300_000  # the worker matches ~6,000 rows on a busy 2-core machine
REFRESH_MS = 240_000
SEARCH_SECONDS = 10.0  # generous for CI; bench.ui measures the real figure (target < 1 s)
RATING_BY_VIEWPORT = {"1440x900": 2.5, "390x844": 3.5}


@pytest.fixture(params=list(RATING_BY_VIEWPORT), ids=list(RATING_BY_VIEWPORT))
def viewport(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def big_export(tmp_path_factory):
    return build_big_export(tmp_path_factory.mktemp("big-export"))


def _import(page, app_url: str, export) -> None:
    go(page, app_url, "library", heading="Library")
    page.get_by_role("tab", name="Import").click()
    step(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(f"Last import: {export.name}")).to_be_visible(timeout=IMPORT_MS)
    expect(page.locator('[data-testid="stProgress"]')).to_have_count(0, timeout=IMPORT_MS)
    step(page)


def _chat(page) -> None:
    open_page(page, "Chat", heading="Chat")
    chat = page.get_by_test_id("stChatInputTextArea")
    chat.fill("something uplifting please")
    chat.press("Enter")
    expect(page.locator('[data-testid="stChatMessage"]').filter(has_text="something uplifting please").last
           ).to_be_visible()
    step(page)
    assert not page.get_by_text("Too many chat messages").count(), "the import used up the day's chat"


def _search_and_rate(page, viewport: str) -> None:
    open_page(page, "Library", heading="Library")
    search = page.get_by_label("Search films by title")
    search.fill("amelie")
    started = time.monotonic()
    search.press("Enter")
    page.locator(".cine-list tr").filter(has_text="Amélie").first.wait_for()
    step(page)
    assert time.monotonic() - started < SEARCH_SECONDS
    panel = choose_search_result(page, "Amélie (2001)")
    step(page)
    label = rate_with_pills(page, panel, RATING_BY_VIEWPORT[viewport])
    expect(page.get_by_text(f"Rated Amélie: {label}")).to_be_visible()
    step(page)
    screenshot(page, viewport, "9-big-library-search")

    page.get_by_role("tab", name="Watchlist").click()
    step(page)
    pager = page.get_by_text(re.compile(r"Page 1 of \d+ · [\d,]+ films"))
    expect(pager.first).to_be_visible()
    expect(page.locator(".cine-list tbody tr")).to_have_count(25)  # one page in one table, not 2,500 rows
    assert page.locator('[class*="st-key-wl-rating-"]').count() == 0  # no control per row: a panel for the chosen
    screenshot(page, viewport, "10-big-watchlist")


def _refresh(page, app_url: str, viewport: str) -> None:
    go(page, app_url, heading="Today's picks")
    refresh = page.get_by_role("button", name="🔄 Refresh")
    if refresh.count():
        refresh.click()
        # No reload from here on: the page shows the new set by itself when the worker stores it.
        expect(page.get_by_text("Your new picks are in")).to_be_visible(timeout=REFRESH_MS)
    else:  # no picks yet: the first ones appear by themselves
        expect(page.get_by_text("Picks updated")).to_be_visible(timeout=REFRESH_MS)
    step(page)
    screenshot(page, viewport, "11-big-dashboard")


def test_a_large_letterboxd_history_then_chat_search_rate_and_refresh(page, viewport, app_url, big_export):
    _import(page, app_url, big_export)
    screenshot(page, viewport, "9-big-import")
    _chat(page)
    _search_and_rate(page, viewport)
    _refresh(page, app_url, viewport)
