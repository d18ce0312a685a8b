"""The Library's search in the browser: results are one table and one menu, the chosen film's panel rates it."""

from __future__ import annotations

from playwright.sync_api import expect

from ui.format import rating_label
from ui.rating_input import short_label


def choose_search_result(page, title: str):
    """Search results are one table and one menu: choose `title` in the menu; its panel (poster, link, stars,
    watchlist) opens above the table."""
    page.locator(".cine-list tr").filter(has_text=title).first.wait_for()  # the page's timeout: a first search
    # on a fresh server may wait for the catalog's title index
    page.get_by_label("Rate it or add it to your watchlist").click()
    page.get_by_role("option", name=title).click()
    panel = page.locator('[class*="st-key-search-panel-"]').filter(has_text=title.split(" (")[0])
    expect(panel).to_be_visible()
    return panel


def rate_with_pills(page, panel, value: float) -> str:
    """Choose `value` in the panel's half-star pills (half a star less when it is already chosen); the label."""
    if panel.locator('button[aria-checked="true"]').count() and \
            panel.locator('button[aria-checked="true"]').inner_text() == short_label(value):
        value -= 0.5
    panel.get_by_text(short_label(value), exact=True).click()
    return rating_label(value)
