"""Journey (#25.1): open a film, log a watch with a date, stars and a few words, then find it in the Diary by
month and under "What you wrote", and on the film page. At each viewport, against the suite's one server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import go, screenshot, step

pytestmark = pytest.mark.browser

AMELIE = 194


def test_a_watch_logged_on_the_film_page_shows_in_the_diary(page, viewport, app_url):
    words = f"Saw it again on a {viewport} screen: still charming."
    go(page, app_url, f"film?id={AMELIE}", heading="Amélie")
    page.get_by_text("Seen it: log a watch").click()
    page.get_by_label("What you thought (optional)").fill(words)
    page.get_by_role("button", name="Log this watch").click()
    expect(page.get_by_text("Logged Amélie on").first).to_be_visible(timeout=30_000)
    step(page)
    expect(page.get_by_text(words).locator("visible=true").first).to_be_visible()
    screenshot(page, viewport, "25-diary-film-page")
    go(page, app_url, "diary", heading="📔 Diary")
    expect(page.get_by_role("link", name="Amélie (2001)").first).to_be_visible()
    page.get_by_role("tab", name="What you wrote").click()
    expect(page.get_by_text(words).locator("visible=true").first).to_be_visible()
    step(page)
    screenshot(page, viewport, "25-diary")
