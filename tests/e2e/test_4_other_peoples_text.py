"""Text from another person or a file is shown as text: a movie-night partner's name (the join message, the
heading, the caption, every pick's reason line, the 'has ended' note) and an import's titles and skip reasons
(the summary, the skipped rows). Markdown images, links and HTML pointing at a local sink server are sent
through each place; the browser must fetch nothing from the sink and show the text as typed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from cine_core.app import night as movie_night
from cine_core.config import LOCAL_USER_ID, get_settings
from cine_core.db import open_pool, transaction
from tests.cine_core.night.conftest import SAM_DISMISSED, SAM_RATED, SAM_WATCHED, give_history
from tests.e2e.steps import STEP_MS, go, step
from ui.escape import unlinked

pytestmark = pytest.mark.browser


class Sink:
    """A local HTTP server that counts every request it gets (any method, any path)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _count(self) -> None:
                sink.paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = do_HEAD = _count  # noqa: N815 (http.server naming)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def payloads(self, place: str) -> dict[str, str]:
        """A Markdown image, an HTML image and a Markdown link, each aimed at the sink (≤ 40 characters)."""
        return {"markdown image": f"![]({self.base}/{place}m)", "html": f"<img src={self.base}/{place}h>",
                "link": f"[x]({self.base}/{place}l)"}


@pytest.fixture(scope="module")
def sink() -> Iterator[Sink]:
    server = Sink()
    server._thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()


@pytest.fixture
def screen(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(STEP_MS)
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="module")
def seed_pool(suite_db_url):
    pool = open_pool(suite_db_url, max_size=2, name="e2e-hostile")
    try:
        yield pool
    finally:
        pool.close()


def _nothing_reached(page, sink: Sink, what: str) -> None:
    """No request reached the sink and no image, link or frame in the page points at it."""
    page.wait_for_timeout(500)  # a fetch the page started would have arrived by now
    assert sink.paths == [], f"{what}: {sink.paths}"
    found = page.locator(f'[href*="{sink.base}"], [src*="{sink.base}"], [srcset*="{sink.base}"]')
    assert found.count() == 0, f"{what}: {found.count()} element(s), first {found.first.evaluate('e => e.outerHTML')}"


def test_a_partners_name_is_shown_as_text_wherever_it_appears(screen, app_url, seed_pool, sink, rated_five):
    """The paired page: the heading, the caption and every pick's reason line carry the partner's name (the join
    message and the 'has ended' note are checked in tests/app/test_night_page.py: personal mode offers no form)."""
    with transaction(seed_pool) as conn:
        partner = conn.execute("insert into auth.users (email) values ('hostile-partner@example.com')"
                               " returning id::text as id").fetchone()["id"]
    give_history(seed_pool, partner, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    for kind, typed in sink.payloads("night-").items():
        assert len(typed) <= movie_night.MAX_NAME_CHARS, kind
        name = unlinked(typed)  # as shown: an invisible word joiner keeps a bare URL from becoming a link
        code = movie_night.create_invite(seed_pool, partner, typed)
        night = movie_night.accept_invite(seed_pool, get_settings(), LOCAL_USER_ID, code, "Me")
        go(screen, app_url, "night", heading="Movie night")
        screen.get_by_role("button", name="End movie night").wait_for()
        _nothing_reached(screen, sink, kind)
        expect(screen.get_by_role("heading", name=f"You and {name}")).to_be_visible()
        expect(screen.get_by_text(f"{name} sees this list", exact=False)).to_be_visible()
        expect(screen.get_by_text(f"{name} rated ").first).to_be_visible()  # a pick's reason line
        assert movie_night.end_movie_night(seed_pool, LOCAL_USER_ID, night.pair_id)


def test_an_imports_titles_and_skip_reasons_are_shown_as_text(screen, app_url, sink, tmp_path):
    titles = sink.payloads("import-")
    lines = [f'2024-01-0{i + 1},"{title}",1999,,3' for i, title in enumerate(titles.values())]
    skipped = f"![]({sink.base}/skip-m)"
    lines.append(f'2024-01-09,"{skipped}",1999,,"<img src={sink.base}/skip-h>"')  # a rating that is not one
    export = tmp_path / "hostile-ratings.csv"
    export.write_text("Date,Name,Year,Letterboxd URI,Rating\n" + "\n".join(lines) + "\n")

    go(screen, app_url, "library", heading="Library")
    screen.get_by_role("tab", name="Import").click()
    screen.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    start = screen.get_by_role("button", name="Import", exact=True)
    start.wait_for()
    step(screen)
    start.click()
    expect(screen.get_by_text(f"Last import: {export.name}")).to_be_visible(timeout=120_000)
    step(screen)
    screen.get_by_text("row(s) skipped").click()
    screen.get_by_text("could not be matched to a film").click()
    step(screen)
    _nothing_reached(screen, sink, "import")
    summary = screen.locator('[data-testid="stAlert"]').filter(has_text="Not found:")
    for title in titles.values():
        expect(summary).to_contain_text(f"{unlinked(title)} (1999)")
    reason = unlinked(f"{skipped}: rating '<img src={sink.base}/skip-h>' is not")
    expect(screen.get_by_text(reason, exact=False)).to_be_visible()
