"""The email's content: posters, reasons, where to watch with the JustWatch credit, links, unsubscribe; tokens."""

from __future__ import annotations

import threading

from cine_core.config import Settings
from cine_core.digest.compose import DigestFilm
from cine_core.digest.render import EmailContext, render_email
from cine_core.digest.scheduler import start_digest_thread
from cine_core.digest.tokens import make_unsubscribe_token, verify_unsubscribe_token
from cine_core.domain.models import Movie
from tests.providers_data import APPLE, GOOGLE, NETFLIX, region_offers

USER = "5b0c1d5e-2f0a-4c1e-9a43-0d7f3b8e9a11"
CTX = EmailContext(to="ann@example.com", sender="CineAI <cine@example.com>", public_url="https://cine.example/",
                   unsubscribe_url="https://cine.example/?unsubscribe=tok", region="US", services=("Netflix",))
DUNE = Movie(438631, "Dune", 2021, genres=("Science Fiction", "Adventure"),
             poster_path="/d5NXSklXo0qyIYkgV94XAgMIckC.jpg",
             watch_providers={"US": region_offers(438631, flatrate=[NETFLIX], rent=[APPLE], buy=[GOOGLE])})
ARRIVAL = Movie(329865, "Arrival", 2016, genres=("Drama",), poster_path=None,
                watch_providers={"US": region_offers(329865, rent=[APPLE], buy=[APPLE])})
QUIET = Movie(1, "Quiet <Film>", None)


def _films() -> list[DigestFilm]:
    return [DigestFilm(DUNE, "Because you loved Blade Runner 2049", 0.9),
            DigestFilm(ARRIVAL, "Denis Villeneuve, whose films you rate highly", 0.8),
            DigestFilm(QUIET, "Trending this week", 0.5)]


def test_html_and_text_carry_every_film_with_its_reason_link_and_offers():
    message = render_email(_films(), CTX)
    assert message["Subject"] == "3 new films I found for you this week"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    for film in _films():
        assert f"https://cine.example/film?id={film.movie.id}" in html and f"film?id={film.movie.id}" in text
    assert "https://image.tmdb.org/t/p/w185/d5NXSklXo0qyIYkgV94XAgMIckC.jpg" in html
    assert "Because you loved Blade Runner 2049" in text
    assert "Netflix ✓</b>" in html and "✓ marks your streaming services" in html  # my service, marked
    assert "Stream on" in html and "Rent or buy on" in html  # Arrival has no stream
    assert "Stream: Netflix; Rent: Apple TV; Buy: Google Play Movies" in text
    assert "JustWatch" in html and "JustWatch" in text
    assert "Quiet &lt;Film&gt;" in html  # escaped
    assert "https://cine.example/?unsubscribe=tok" in html and "https://cine.example/?unsubscribe=tok" in text
    assert message["List-Unsubscribe"] == "<https://cine.example/?unsubscribe=tok>"


def test_without_any_offers_no_where_to_watch_and_no_credit():
    message = render_email([DigestFilm(QUIET, "Trending", 0.5)], CTX)
    assert message["Subject"] == "1 new film I found for you this week"
    assert "JustWatch" not in message.get_body(("html",)).get_content()


def test_tokens_verify_only_with_the_same_secret_and_user():
    token = make_unsubscribe_token(USER, "secret")
    assert verify_unsubscribe_token(token, "secret") == USER
    assert verify_unsubscribe_token(token, "another secret") is None
    other = "0b0c1d5e-2f0a-4c1e-9a43-0d7f3b8e9a11"
    assert verify_unsubscribe_token(other + token[len(USER):], "secret") is None  # signature of someone else
    for garbage in ("", "x", "not-a-uuid.abc", token + "x"):
        assert verify_unsubscribe_token(garbage, "secret") is None


def test_the_worker_clock_is_off_without_smtp():
    assert start_digest_thread(None, Settings(_env_file=None, smtp_url=None), threading.Event()) is None


def test_the_worker_clock_sends_due_emails_and_stops(pool, people, inbox, digest_settings):
    due_now = digest_settings.model_copy(update={"digest_weekday": 0, "digest_hour": 0})  # always due
    stop = threading.Event()
    thread = start_digest_thread(pool, due_now, stop, check_seconds=0.2)
    for _ in range(100):
        if len(inbox.messages) >= 2:
            break
        stop.wait(0.1)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive() and len(inbox.messages) == 2
