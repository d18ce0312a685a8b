"""Journeys: ask the chat for films, see the taste charts, read the status page from a bookmarked link.
At each viewport, against the suite's one server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import CARD, assert_buttons_inside_cards, go, open_page, screenshot, step

pytestmark = pytest.mark.browser

TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."


def test_chat_asks_for_something_uplifting_and_shows_films(page, viewport, app_url):
    go(page, app_url, heading="Today's picks")
    open_page(page, "Chat", heading="Chat")
    before = page.locator(f'{CARD}[class*="st-key-card-chat-"]').count()
    chat = page.get_by_test_id("stChatInputTextArea")
    chat.fill("something uplifting please")
    chat.press("Enter")
    expect(page.locator('[data-testid="stChatMessage"]').filter(has_text="something uplifting please").last).to_be_visible()
    cards = page.locator(f'{CARD}[class*="st-key-card-chat-"]')
    expect(cards.first).to_be_visible()
    step(page)
    assert cards.count() > before or before > 0
    assert_buttons_inside_cards(page)
    screenshot(page, viewport, "6-chat")


def test_taste_page_draws_its_charts(page, viewport, app_url, rated_five):
    go(page, app_url, "taste", heading="Your taste")
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    step(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 2
    screenshot(page, viewport, "7-taste")


def test_status_page_from_a_bookmark_credits_tmdb_and_justwatch(page, viewport, app_url):
    go(page, app_url, "status", heading="Status")  # a first visit by deep link still gets the app's navigation
    expect(page.get_by_text(TMDB_NOTICE)).to_be_visible()
    expect(page.get_by_role("link", name="TMDB", exact=True)).to_have_attribute("href", "https://www.themoviedb.org")
    expect(page.get_by_role("link", name="JustWatch", exact=True).first).to_be_visible()
    assert "Today's picks" in (page.locator('[data-testid="stSidebarNav"]').text_content() or "")
    step(page)
    screenshot(page, viewport, "8-status")
