"""What every browser journey does between clicks: wait for the run to settle, fail on an exception on the page,
check that a card's buttons are inside the card, keep a screenshot."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from cine_core.config import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
STEP_MS = 30_000
EXCEPTION = '[data-testid="stException"]'
CARD = '[class*="st-key-card-"]'
POPOVER_BODY = '[data-testid="stPopoverBody"]'
TOLERANCE_PX = 1.0
PHONE_PX = 640


def settle(page) -> None:
    """A script run is done when the status widget is gone and no element is a skeleton or stale."""
    page.wait_for_timeout(250)  # the status widget shows only once a run has lasted a moment
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=STEP_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]')", timeout=STEP_MS
    )


def no_exception(page) -> None:
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, exceptions.first.inner_text()


def step(page) -> None:
    """After every step: the page has settled and shows no exception."""
    settle(page)
    no_exception(page)


def go(page, base_url: str, path: str = "", *, heading: str) -> None:
    page.goto(base_url.rstrip("/") + "/" + path.lstrip("/"))
    page.get_by_role("heading", name=heading).first.wait_for()
    step(page)


def open_page(page, title: str, *, heading: str) -> None:
    """Navigate with the app's own menu (on a phone the sidebar is collapsed: open it first)."""
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    if expand.count() and expand.first.is_visible():  # collapsed: the links are off screen
        expand.first.click()
        expect(link).to_be_in_viewport()
    link.click()
    sidebar = page.locator('[data-testid="stSidebar"][data-collapsed="false"]')
    if page.viewport_size["width"] < PHONE_PX and sidebar.count():  # an open sidebar covers a phone's page
        sidebar.hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        expect(sidebar).to_have_count(0)
    page.get_by_role("heading", name=heading).first.wait_for()
    step(page)


def screenshot(page, viewport: str, name: str) -> None:
    """The whole page at this width: the app scrolls inside its main block, so grow the window to fit it."""
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    folder = ARTIFACTS / viewport
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12_000))})
    try:
        page.wait_for_timeout(200)  # one layout pass at the new height
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def buttons_outside_their_card(page) -> list[str]:
    """Every button of every visible card whose box is not inside the card's box, described for the report."""
    return page.evaluate(
        """(tolerance) => {
            const out = [];
            for (const card of document.querySelectorAll('[class*="st-key-card-"]')) {
                const box = card.getBoundingClientRect();
                if (box.width === 0) continue;
                const key = [...card.classList].find(c => c.startsWith('st-key-card-'));
                for (const button of card.querySelectorAll('button')) {
                    if (!button.checkVisibility()) continue;  // Streamlit keeps a hidden twin of a button with help
                    const b = button.getBoundingClientRect();
                    const clipped = b.width === 0 || b.left < box.left - tolerance || b.right > box.right + tolerance
                        || b.top < box.top - tolerance || b.bottom > box.bottom + tolerance
                        || button.scrollWidth > button.clientWidth + tolerance;
                    if (clipped) out.push(`${key}: "${button.innerText.trim()}" at [${Math.round(b.left)}, `
                        + `${Math.round(b.right)}] x [${Math.round(b.top)}, ${Math.round(b.bottom)}], card [`
                        + `${Math.round(box.left)}, ${Math.round(box.right)}] x [${Math.round(box.top)}, `
                        + `${Math.round(box.bottom)}]`);
                }
            }
            return out;
        }""",
        TOLERANCE_PX,
    )


def assert_buttons_inside_cards(page) -> int:
    """Fails on a clipped action button; returns how many cards were checked."""
    cards = page.locator(CARD).count()
    assert cards > 0, "no film card on the page"
    clipped = buttons_outside_their_card(page)
    assert not clipped, "action buttons outside their card:\n" + "\n".join(clipped)
    return cards


def rated_count(page) -> int:
    """The onboarding progress line: 'N of 5 films rated' or 'N films rated: enough to start'."""
    text = page.locator('[data-testid="stProgress"]').first.inner_text()
    match = re.search(r"(\d+) (?:of \d+ )?films rated", text)
    assert match, f"no rating count in {text!r}"
    return int(match.group(1))


def choose_rating(page, row, value: float) -> str:
    """Pick stars in a list row's rating menu (empty, or the film's rating; choosing saves at once); a film
    already rated `value` gets half a star less, so the click always changes something. Returns the label."""
    from ui.format import rating_label

    menu = row.get_by_role("combobox")
    if menu.input_value() == rating_label(value):
        value -= 0.5
    label = rating_label(value)
    menu.click()
    page.get_by_role("option", name=label, exact=True).click()
    return label
