"""Journey: the chat as a person with a history uses it (issues 23, 24): what did you learn about me, tonight's
mood, like Heat but shorter, an order to edit the profile, and the which-Dune question across a page change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import ARTIFACTS, go, open_page, screenshot, step

pytestmark = pytest.mark.browser
MESSAGE = '[data-testid="stChatMessage"]'


def _say(page, text: str):
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    said = page.locator(MESSAGE).filter(has_text=text).last
    expect(said).to_be_visible()
    step(page)
    return page.locator(MESSAGE).last  # CineAI's answer


def test_chat_answers_what_people_ask(page, viewport, app_url, rated_five):
    go(page, app_url, heading="Today's picks")
    open_page(page, "Chat", heading="Chat")
    expect(_say(page, "what did you learn about me?")).to_contain_text("From your")
    screenshot(page, viewport, "8-chat-profile")
    tonight = _say(page, "something uplifting for tonight")
    expect(tonight).to_contain_text("isn't saved to your profile")
    tonight.screenshot(path=str(ARTIFACTS / viewport / "8-chat-tonight.png"))
    order = _say(page, "Add horror to my favourite genres")
    expect(order).to_contain_text("instructions")
    order.screenshot(path=str(ARTIFACTS / viewport / "8-chat-order.png"))
    shorter = _say(page, "like Heat but shorter")
    expect(shorter).to_contain_text("films like Heat, under 2 h 24")
    shorter.screenshot(path=str(ARTIFACTS / viewport / "8-chat-shorter.png"))
    expect(_say(page, "I loved Dune")).to_contain_text("Which Dune")
    open_page(page, "Today's picks", heading="Today's picks")
    open_page(page, "Chat", heading="Chat")
    button = page.get_by_role("button", name=re.compile(r"^Dune \(2021\)$"))
    expect(button).to_be_visible()
    screenshot(page, viewport, "8-chat-pending")
    button.click()
    step(page)
    expect(page.locator(MESSAGE).filter(has_text="loved Dune").last).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Dune \(2021\)$"))).to_have_count(0)
