"""No secret reaches a log line, an exception or the console: setup, a worker pass and an app session,
all at DEBUG, with TMDB (v3 key), Anthropic and Supabase secrets set and a password in DATABASE_URL."""

from __future__ import annotations

import logging
import signal
import traceback
from urllib.parse import quote

import httpx
import psycopg
import pytest
import respx
from streamlit.testing.v1 import AppTest

from cine_core import config
from tests.anthropic_stub import anthropic_stub  # noqa: F401 (fixture)
from tests.app.conftest import APP_FILE, TIMEOUT_SECONDS
from tests.app.test_auth import SUPABASE_URL, TOKEN_URL, _session
from tests.cine_core.test_scout import popular_ids, rate
from tests.claude_replies import score_every_candidate
from tests.fake_tmdb import FakeTMDB

TMDB_KEY = "tmdbv3SECRETc0ffee1234567890abcd"
ANTHROPIC_KEY = "fake-anthropic-SECRET-0123456789"  # made up: only its absence from logs is checked
SUPABASE_KEY = "eyJhbGciOiJIUzI1NiJ9.SECRET-anon-key.sig"
DB_PASSWORD = "pg-SECRET-password-42"
SECRETS = (TMDB_KEY, ANTHROPIC_KEY, SUPABASE_KEY, DB_PASSWORD)


class _Everything(logging.Handler):
    """Every record at every level, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _with_password(conninfo: str) -> str:
    """The test database as a URL with a password (the embedded server trusts local sockets, ignoring it)."""
    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    host = info.get("host", "")
    where = f"?host={quote(host, safe='/')}" if host.startswith("/") else ""
    netloc = "" if where else f"{host}:{info.get('port', 5432)}"
    return f"postgresql://{info.get('user', 'postgres')}:{DB_PASSWORD}@{netloc}/{info['dbname']}{where}"


@pytest.fixture
def everything():
    """Root at DEBUG with our handler; whatever earlier tests or libraries switched off is switched on again."""
    handler = _Everything()
    root = logging.getLogger()
    old_level, old_disable = root.level, logging.root.manager.disable
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    old_flags = {lg: (lg.disabled, lg.propagate) for lg in loggers}
    logging.disable(logging.NOTSET)
    for lg in loggers:
        lg.disabled = False
        if not lg.propagate:  # e.g. streamlit's own loggers: give them our handler directly
            lg.addHandler(handler)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)
    logging.disable(old_disable)
    for lg, (disabled, propagate) in old_flags.items():
        lg.disabled = disabled
        if not propagate:
            lg.removeHandler(handler)


def _set_every_secret(monkeypatch, db_url: str, anthropic_url: str) -> None:
    for name, value in {
        "DATABASE_URL": _with_password(db_url), "LOG_LEVEL": "DEBUG",
        "TMDB_API_KEY": TMDB_KEY, "TMDB_BASE_URL": "https://tmdb.test/3",
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY, "ANTHROPIC_BASE_URL": anthropic_url,
        "SUPABASE_URL": SUPABASE_URL, "SUPABASE_ANON_KEY": SUPABASE_KEY, "CINE_WIKIPEDIA": "false",
    }.items():
        monkeypatch.setenv(name, value)
    config.get_settings.cache_clear()


def _sign_in_chat_and_open_status(email: str) -> list[str]:
    """The app signed in through Supabase (mocked), one chat message to Claude, the Status page; its exceptions."""
    app = AppTest.from_file(APP_FILE, default_timeout=TIMEOUT_SECONDS)
    app.run()
    app.text_input(key="sign-in-email").set_value(email)
    app.text_input(key="sign-in-password").set_value("secret-pw")
    app.button[0].click().run()
    app.switch_page("pages/chat.py").run()
    app.chat_input(key="chat-input").set_value("I loved the visuals of Dune: Part Two but it was too slow").run()
    app.switch_page("pages/status.py").run()
    return [str(e.value) + str(e.stack_trace) for e in app.exception]


@pytest.mark.slow
def test_no_secret_in_any_log_line_or_exception(db_url, pool, make_user, monkeypatch, capsys, everything,
                                                  anthropic_stub):  # noqa: F811 (fixture)
    from cine_core.__main__ import main as cine_main
    from ui.context import close_pools
    from worker.__main__ import main as worker_main

    anthropic_stub.default = score_every_candidate
    _set_every_secret(monkeypatch, db_url, anthropic_stub.base_url)
    close_pools()
    user = make_user("b@example.com")
    rate(pool, user, popular_ids(pool, 6))
    exceptions: list[str] = []
    fake_tmdb = FakeTMDB()
    saved_signals = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with respx.mock(assert_all_called=False) as mock:
            mock.route(host="tmdb.test").mock(side_effect=fake_tmdb)
            mock.post(TOKEN_URL).mock(return_value=httpx.Response(200, json=_session(user, "b@example.com")))

            assert cine_main(["setup"]) == 0
            assert worker_main(["--once", "--all", "--no-listen"]) == 0

            exceptions += _sign_in_chat_and_open_status("b@example.com")
    except Exception:
        exceptions.append(traceback.format_exc())
        raise
    finally:
        for sig, handler in saved_signals.items():
            signal.signal(sig, handler)
        close_pools()
        captured = capsys.readouterr()
        config.get_settings.cache_clear()
        texts = everything.lines + exceptions + [captured.out, captured.err]
        leaked = {secret for secret in SECRETS for text in texts if secret in text}
        assert not leaked, [line for line in texts if any(s in line for s in leaked)][:5]

    assert fake_tmdb.calls, "the worker pass must have called TMDB"
    # The scheduled pass goes through the Message Batches API; the chat calls Claude directly.
    assert anthropic_stub.batches.params_sent(), "the worker pass must have submitted its Claude batch"
    assert anthropic_stub.requests, "the chat must have called Claude"
    assert len(everything.lines) > 50
    assert any("tmdb.test" in line for line in everything.lines)  # request lines are logged, redacted


def test_printing_the_settings_shows_no_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://cine:{DB_PASSWORD}@db.example.com:5432/cine")
    monkeypatch.setenv("SUPABASE_ANON_KEY", SUPABASE_KEY)
    settings = config.Settings(_env_file=None)
    printed = repr(settings) + str(settings) + str(settings.describe_sources())
    assert DB_PASSWORD not in printed and SUPABASE_KEY not in printed
    assert settings.database_url is not None and DB_PASSWORD in settings.database_url.get_secret_value()
