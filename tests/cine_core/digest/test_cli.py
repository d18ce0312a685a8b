"""`python -m cine_core digest --dry-run | --send [--user ID]`."""

from __future__ import annotations

import pytest

from cine_core.__main__ import main
from cine_core.config import get_settings
from tests.cine_core.digest.conftest import SECRET, SMTP_PASSWORD, SMTP_USER


@pytest.fixture
def env(monkeypatch, db_url, inbox):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SMTP_URL", f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{inbox.port}")
    monkeypatch.setenv("CINE_MAIL_FROM", "CineAI <cine@example.com>")
    monkeypatch.setenv("CINE_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_dry_run_prints_the_emails_and_sends_nothing(env, people, inbox, capsys):
    assert main(["digest", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "To: ann@example.com" in out and "To: bob.films@example.org" in out and "cat@" not in out
    assert "5 new films I found for you this week" in out
    assert "Dry run: 2 email(s) would be sent" in out
    assert inbox.messages == [] and SMTP_PASSWORD not in out


def test_send_for_one_user_sends_only_theirs_and_only_once(env, people, inbox, capsys):
    assert main(["digest", "--send", "--user", people["bob"]]) == 0
    assert "1 sent" in capsys.readouterr().out
    assert main(["digest", "--send", "--user", people["bob"]]) == 0
    assert [m["To"] for m in inbox.messages] == ["bob.films@example.org"]


def test_without_smtp_the_command_says_what_is_missing(monkeypatch, db_url, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    for name in ("SMTP_URL", "CINE_MAIL_FROM", "CINE_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    try:
        assert main(["digest", "--send"]) == 2
    finally:
        get_settings.cache_clear()
    assert "SMTP_URL, CINE_MAIL_FROM and CINE_SECRET_KEY" in capsys.readouterr().err
