"""Journeys: search the library as people type and rate from the results; import a Letterboxd export and
watch its progress, then its report. At each viewport, against the suite's one server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cine_core.config import PROJECT_ROOT
from tests.e2e.library_steps import choose_search_result, rate_with_pills
from tests.e2e.steps import go, screenshot, step
from ui.format import rating_label
from ui.rating_input import short_label

pytestmark = pytest.mark.browser

EXPORT = PROJECT_ROOT / "tests" / "fixtures" / "imports" / "letterboxd-ratings.csv"
# A different rating at each viewport, so each run proves its own click was saved.
RATING_BY_VIEWPORT = {"1280x800": 3.5, "1440x900": 4.5, "390x844": 3.0}
PROGRESS_SEEN = """() => {
    window.__progressSeen = false;
    const look = () => { if (/waiting for the worker|matching films/.test(document.body.innerText)) window.__progressSeen = true; };
    new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_search_without_accents_then_rate_from_the_results(page, viewport, app_url):
    go(page, app_url, "library", heading="Library")
    search = page.get_by_label("Search films by title")
    search.fill("amelie")
    search.press("Enter")
    step(page)
    panel = choose_search_result(page, "Amélie (2001)")
    step(page)
    expect(panel.get_by_role("img", name=re.compile("Poster: Amélie"))).to_be_visible()
    expect(panel).to_contain_text(re.compile("your rating: ★|not rated yet"))

    label = rate_with_pills(page, panel, RATING_BY_VIEWPORT[viewport])
    expect(page.get_by_text(f"Rated Amélie: {label}")).to_be_visible()  # a toast, where the person looks
    step(page)
    expect(panel).to_contain_text(f"your rating: {label}")  # the panel stays on Amélie
    expect(page.locator(".cine-list tr.chosen")).to_contain_text(label)  # and the table shows it
    screenshot(page, viewport, "4-library-search")


def test_import_a_letterboxd_export_shows_progress_then_the_report(page, viewport, app_url):
    go(page, app_url, "library", heading="Library")
    page.get_by_role("tab", name="Import").click()
    step(page)  # only the open tab is drawn: opening one runs the page
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(EXPORT))
    start = page.get_by_role("button", name="Import", exact=True)
    start.wait_for()
    step(page)
    page.evaluate(PROGRESS_SEEN)
    start.click()
    page.wait_for_function("() => window.__progressSeen")
    expect(page.get_by_text(f"Last import: {EXPORT.name}")).to_be_visible()
    expect(page.locator('[data-testid="stProgress"]')).to_have_count(0)
    report = page.locator('[data-testid="stAlert"]').filter(has_text=re.compile(r"added|updated|Nothing new"))
    expect(report.first).to_be_visible()
    step(page)
    screenshot(page, viewport, "5-import")


def test_history_changes_a_rating_from_the_chosen_row(page, viewport, app_url):
    # Amélie was rated by the search journey above (same person, same viewport, earlier in this module).
    go(page, app_url, "library", heading="Library")
    page.get_by_role("tab", name="History").click()
    step(page)
    page.get_by_label("Search within").fill("amelie")
    page.get_by_label("Search within").press("Enter")
    step(page)
    expect(page.locator(".cine-list tr").filter(has_text="Amélie")).to_be_visible()  # the page's table
    page.get_by_label("Change or remove a rating").click()  # its menu of the page's films
    page.get_by_role("option", name="Amélie (2001)").click()  # opens its panel: the film, its stars, remove
    panel = page.locator('[class*="st-key-hist-panel-"]').filter(has_text="Amélie")
    expect(panel).to_be_visible()
    step(page)
    chosen = panel.locator('button[aria-checked="true"]')
    value = 2.0 if chosen.inner_text() == short_label(2.5) else 2.5
    panel.get_by_text(short_label(value), exact=True).click()
    expect(page.get_by_text(f"Rated Amélie: {rating_label(value)}")).to_be_visible()
    step(page)
    expect(panel.locator('button[aria-checked="true"]')).to_have_text(short_label(value))  # still on Amélie
    expect(page.locator(".cine-list tr.chosen")).to_contain_text(rating_label(value))  # the table shows it too
    screenshot(page, viewport, "6-library-history")
