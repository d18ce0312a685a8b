"""Journeys: onboarding with five star ratings, the dashboard's card actions, a film's page.

Run at each viewport against one server (see conftest.py); every step fails on an exception on the page,
every card is checked for buttons outside its box, and each journey leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import (
    CARD,
    POPOVER_BODY,
    assert_buttons_inside_cards,
    go,
    open_page,
    rated_count,
    screenshot,
    step,
)

pytestmark = pytest.mark.browser

RATINGS = 5
PICKS_SECONDS = 120.0


def _card_key(card) -> str:
    """The card's `st-key-…` class, to find the same card again after its fragment reruns."""
    return next(c for c in card.get_attribute("class").split() if c.startswith("st-key-card-"))


def test_onboarding_rates_five_films_with_stars(page, viewport, app_url):
    go(page, app_url, heading="Today's picks")
    open_page(page, "Get started", heading="Get started")
    before = rated_count(page)
    assert_buttons_inside_cards(page)
    for n in range(1, RATINGS + 1):
        card = page.locator(f'{CARD}[class*="st-key-card-onboard-"]').first
        key = _card_key(card)
        page.locator(f".{key} [data-testid='stPopoverButton']").click()
        body = page.locator(POPOVER_BODY)
        body.wait_for(state="visible")
        track = body.locator('[data-rac][data-orientation="horizontal"]').first
        box = track.bounding_box()
        track.click(position={"x": box["width"] * (0.5 + n / 12), "y": box["height"] / 2})  # a touch, then keys
        thumb = body.get_by_role("slider")
        thumb.focus()
        thumb.press("ArrowLeft" if n % 2 else "ArrowRight")
        step(page)
        assert body.is_visible(), f"the rating pop-over closed while its slider was used (rating {n})"
        body.get_by_role("button", name="Save rating").click()
        expect(page.locator('[data-testid="stProgress"]').first).to_contain_text(
            re.compile(rf"\b{before + n} (of 5 )?films rated"))
        step(page)
        expect(page.locator(f".{key}"), "a rated film is still offered for rating").to_have_count(0)
    assert page.get_by_text(re.compile("enough to start")).count() >= 1
    assert_buttons_inside_cards(page)
    screenshot(page, viewport, "1-onboarding")


def _wait_for_picks(page, app_url: str) -> None:
    """The worker (woken by the ratings) stores picks; the dashboard never waits for it, so reload."""
    deadline = time.monotonic() + PICKS_SECONDS
    go(page, app_url, heading="Today's picks")
    while not page.get_by_text("Picks updated").count():
        assert time.monotonic() < deadline, "the worker stored no picks in time (see test-artifacts/worker.log)"
        page.wait_for_timeout(1500)
        page.reload()
        page.get_by_role("heading", name="Today's picks").first.wait_for()
        step(page)


def test_dashboard_card_actions(page, viewport, app_url, rated_five):
    _wait_for_picks(page, app_url)
    assert page.get_by_text("confidence").count() >= 1
    checked = assert_buttons_inside_cards(page)
    assert checked >= 2
    picks = page.locator(f'{CARD}[class*="st-key-card-pick-"]')
    # The journeys share one person: take cards that an earlier viewport has not liked or listed yet.
    fresh = picks.filter(has=page.get_by_role("button", name="📌", exact=True)).filter(has_not_text="You liked")
    assert fresh.count() >= 2, "fewer than two untouched picks"
    first, second = (page.locator(f".{_card_key(fresh.nth(i))}") for i in (0, 1))

    first.get_by_role("button", name="👍", exact=True).click()
    expect(first.get_by_text("noted for")).to_be_visible()  # st.success shows the leading emoji as its icon
    step(page)
    first.get_by_role("button", name="📌", exact=True).click()
    expect(first.get_by_text("On your watchlist")).to_be_visible()
    expect(first.get_by_role("button", name="✅", exact=True)).to_be_visible()
    step(page)
    second.get_by_role("button", name="🚫", exact=True).click()
    expect(second.get_by_text("hidden for good")).to_be_visible()
    expect(second.get_by_role("button", name="↩️ Undo")).to_be_visible()
    step(page)
    assert_buttons_inside_cards(page)
    screenshot(page, viewport, "2-dashboard")


def test_film_page_from_a_card_and_by_deep_link(page, viewport, app_url, rated_five):
    go(page, app_url, heading="Today's picks")
    link = page.locator(f"{CARD} [data-testid='stPageLink'] a").first
    href = link.get_attribute("href") or ""
    film_id = re.search(r"id=(\d+)", href)
    assert film_id, f"a card's title links to {href!r}, not to a film page"
    title = re.sub(r"\s*\(\d{4}\)$", "", link.inner_text().strip())
    link.click()
    page.get_by_role("heading", name=title).first.wait_for()
    page.get_by_role("heading", name="You and this film").wait_for()
    step(page)
    assert "/film" in page.url
    screenshot(page, viewport, "3-film")

    page.goto(app_url.rstrip("/") + f"/film?id={film_id.group(1)}")  # a shared link, in a fresh session
    page.get_by_role("heading", name=title).first.wait_for()
    page.get_by_role("heading", name="You and this film").wait_for()
    step(page)
    expect(page.get_by_role("button", name="Save rating")).to_be_visible()
