"""Where-to-watch markup: outside URLs never become script links."""

from __future__ import annotations

from cine_core.domain.models import Movie
from cine_core.domain.watch import UserSettings
from ui.providers import offers_html

OFFER = {"provider_name": "Netflix", "provider_id": 8, "logo_path": "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg"}


def html_for(link: str) -> str:
    movie = Movie(id=1, title="Heat", watch_providers={"US": {"link": link, "flatrate": [OFFER]}})
    return offers_html(movie, UserSettings(user_id="u", region="US", streaming_services=()))


def test_a_javascript_offer_link_is_dropped():
    markup = html_for("javascript:alert(document.cookie)")
    assert "Netflix" in markup and "javascript:" not in markup and "all offers" not in markup


def test_a_tmdb_offer_link_is_kept():
    assert 'href="https://www.themoviedb.org/movie/949-heat/watch?locale=US"' in html_for(
        "https://www.themoviedb.org/movie/949-heat/watch?locale=US")
