"""A real digest email, received by the test SMTP server, rendered in headless Chromium (screenshot for review).

TMDB's image host is unreachable in tests, so posters and logos are answered with stand-in SVGs of the
right size; everything else is the email exactly as sent.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cine_core.digest import send_digests
from tests.cine_core.digest.conftest import trending_ids
from tests.providers_data import APPLE, GOOGLE, MAX, NETFLIX, region_offers, store_providers

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path("/tmp/digest-sample.png")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
_SIZE = re.compile(r"/t/p/w(\d+)/")


def _stand_in(route) -> None:
    width = int(_SIZE.search(route.request.url).group(1)) if _SIZE.search(route.request.url) else 92
    is_logo = width <= 92
    height = width if is_logo else width * 3 // 2
    fill = "#0d6efd" if is_logo else "#2e2a5a"
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
           f'<rect width="100%" height="100%" fill="{fill}"/></svg>')
    route.fulfill(status=200, content_type="image/svg+xml", body=svg)


def test_a_sent_email_renders_in_chromium(pool, people, inbox, digest_settings):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    offers = [{"flatrate": [NETFLIX], "rent": [APPLE], "buy": [APPLE, GOOGLE]}, {"flatrate": [MAX]},
              {"rent": [APPLE, GOOGLE], "buy": [APPLE, GOOGLE]}, {}]
    films = trending_ids(pool)
    store_providers(pool, {i: region_offers(i, **offers[n % len(offers)]) for n, i in enumerate(films)
                           if offers[n % len(offers)]})
    send_digests(pool, digest_settings, force=True, now=datetime.now(UTC))
    message = inbox.to("bob.films@example.org")[0]
    html = message.get_body(("html",)).get_content()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 720, "height": 900})
            page.route("https://image.tmdb.org/**", _stand_in)
            page.set_content(html, wait_until="load")
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            links = page.locator("a").evaluate_all("(links) => links.map((a) => a.href)")
            broken = page.locator("img").evaluate_all("(imgs) => imgs.filter((i) => !i.naturalWidth).length")
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
    assert broken == 0
    assert sum("/film?id=" in link for link in links) >= 10  # poster and "more" link per film
    assert any("unsubscribe=" in link for link in links)
