"""A real SMTP server (aiosmtpd, in-process on 127.0.0.1, a free port) and opted-in people with films to send."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.watch import UserSettings
from cine_core.settings import save_settings
from tests.providers_data import APPLE, NETFLIX, region_offers, store_providers

SMTP_USER, SMTP_PASSWORD = "cine", "pa55-w0rd-never-logged"
SECRET = "test-unsubscribe-secret"


class Inbox:
    """The aiosmtpd handler: keeps every accepted message; `refuse` makes the server answer 554."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []
        self.refuse = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed: refused by the test"
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=handler.authenticate,
                            auth_require_tls=False)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture
def digest_settings(db_url, inbox) -> Settings:
    return Settings(_env_file=None, database_url=db_url,
                    smtp_url=f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{inbox.port}",
                    cine_mail_from="CineAI <cine@example.com>", cine_secret_key=SECRET,
                    cine_public_url="https://cine.example")


def trending_ids(pool, n: int = 20, offset: int = 0) -> list[int]:
    with transaction(pool) as conn:
        rows = conn.execute("select id from movies where vote_count > 500 order by popularity desc, id"
                            " limit %s offset %s", (n, offset)).fetchall()
    return [r["id"] for r in rows]


def cache_trending(pool, ids: list[int], key: str = "trending:catalog:day:test") -> None:
    """A trending list as the film cache stores it (fetched now)."""
    with transaction(pool) as conn:
        conn.execute("insert into source_cache (cache_key, movie_ids, fetched_at) values (%s, %s, now())"
                     " on conflict (cache_key) do update set movie_ids = excluded.movie_ids, fetched_at = now()",
                     (key, ids))


@pytest.fixture
def people(pool, make_user) -> dict[str, str]:
    """ann and bob opted in (bob to another address, with Netflix), cat did not; 20 films trending."""
    ids = {name: make_user(f"{name}@example.com") for name in ("ann", "bob", "cat")}
    films = trending_ids(pool)
    cache_trending(pool, films)
    store_providers(pool, {films[0]: region_offers(films[0], flatrate=[NETFLIX], rent=[APPLE]),
                           films[1]: region_offers(films[1], rent=[APPLE], buy=[APPLE])})
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(ids["ann"], "US", weekly_digest=True))
        save_settings(conn, UserSettings(ids["bob"], "US", ("Netflix",), weekly_digest=True,
                                         digest_email="bob.films@example.org"))
        save_settings(conn, UserSettings(ids["cat"], "US", ("Netflix",), weekly_digest=False))
        for movie_id in trending_ids(pool, 5, offset=40):
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 5)", (ids["ann"], movie_id))
    return ids
