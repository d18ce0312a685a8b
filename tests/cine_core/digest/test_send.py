"""The weekly email against a real SMTP server: one per opted-in person, none for others, never twice,
and an unsubscribe link that stops the next one."""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC, datetime, timedelta

from cine_core.app.settings import unsubscribe
from cine_core.db import transaction
from cine_core.digest import send_digests
from cine_core.digest.delivery import is_due
from cine_core.digest.sent_log import Recipient
from tests.cine_core.digest.conftest import SMTP_PASSWORD, cache_trending, trending_ids

NOW = datetime.now(UTC)
UNSUBSCRIBE = re.compile(r"https://cine\.example/\?unsubscribe=([\w.\-]+)")


def _log_rows(pool) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select user_id::text, iso_week, status, film_ids from digest_log"
                            " order by user_id").fetchall()


def _film_ids(message) -> list[int]:
    return [int(i) for i in re.findall(r"/film\?id=(\d+)", message.get_body(("plain",)).get_content())]


def test_one_email_per_opted_in_person_and_none_for_the_others(pool, people, inbox, digest_settings):
    run = send_digests(pool, digest_settings, force=True, now=NOW)
    assert (run.sent, run.failed) == (2, 0)
    assert sorted(m["To"] for m in inbox.messages) == ["ann@example.com", "bob.films@example.org"]
    assert inbox.logins == ["cine", "cine"]  # SMTP_URL's user and password were used
    message = inbox.to("ann@example.com")[0]
    assert message["Subject"] == "5 new films I found for you this week"
    assert message["From"] == "CineAI <cine@example.com>"
    text, html = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
    assert len(_film_ids(message)) == 5 and len(set(_film_ids(message))) == 5
    assert "https://image.tmdb.org/t/p/w185/" in html  # posters
    assert UNSUBSCRIBE.search(text) and UNSUBSCRIBE.search(html) and message["List-Unsubscribe"]
    assert {r["status"] for r in _log_rows(pool)} == {"sent"}


def test_no_second_email_in_the_same_week_even_from_two_workers_at_once(pool, people, inbox, digest_settings):
    passes = [threading.Thread(target=send_digests, args=(pool, digest_settings), kwargs={"force": True, "now": NOW})
              for _ in range(2)]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join()
    send_digests(pool, digest_settings, force=True, now=NOW + timedelta(minutes=5))  # a restart later that week
    assert len(inbox.messages) == 2
    assert len(_log_rows(pool)) == 2


def test_unsubscribe_link_stops_the_next_email(pool, people, inbox, digest_settings):
    send_digests(pool, digest_settings, force=True, now=NOW)
    token = UNSUBSCRIBE.search(inbox.to("ann@example.com")[0].get_body(("plain",)).get_content()).group(1)
    assert unsubscribe(pool, token, digest_settings) is True
    assert unsubscribe(pool, token, digest_settings) is False  # a second click: already off
    assert unsubscribe(pool, token.replace(".", ".x", 1), digest_settings) is None  # tampered
    cache_trending(pool, trending_ids(pool, 20, offset=20), key="trending:catalog:day:next")
    send_digests(pool, digest_settings, force=True, now=NOW + timedelta(days=7))
    assert len(inbox.to("ann@example.com")) == 1
    assert len(inbox.to("bob.films@example.org")) == 2


def test_next_weeks_email_never_repeats_a_film(pool, people, inbox, digest_settings):
    send_digests(pool, digest_settings, force=True, now=NOW)
    cache_trending(pool, trending_ids(pool, 20, offset=3), key="trending:catalog:day:next")  # overlaps last week's
    send_digests(pool, digest_settings, force=True, now=NOW + timedelta(days=7))
    first, second = inbox.to("bob.films@example.org")
    assert len(_film_ids(second)) == 5 and not set(_film_ids(first)) & set(_film_ids(second))


def test_nothing_new_sends_nothing_and_is_not_retried_that_week(pool, people, inbox, digest_settings):
    with transaction(pool) as conn:
        conn.execute("delete from source_cache")
    run = send_digests(pool, digest_settings, force=True, now=NOW)
    assert (run.sent, run.empty) == (0, 2) and inbox.messages == []
    assert send_digests(pool, digest_settings, force=True, now=NOW).empty == 0


def test_a_refused_send_is_recorded_and_retried_on_the_next_pass(pool, people, inbox, digest_settings, caplog):
    inbox.refuse = True
    with caplog.at_level(logging.DEBUG):
        run = send_digests(pool, digest_settings, force=True, now=NOW)
    assert run.failed == 2 and {r["status"] for r in _log_rows(pool)} == {"failed"}
    assert SMTP_PASSWORD not in caplog.text
    inbox.refuse = False
    assert send_digests(pool, digest_settings, force=True, now=NOW).sent == 2
    assert len(inbox.messages) == 2


def test_the_scheduled_pass_waits_for_each_persons_day_and_hour(pool, people, inbox, digest_settings):
    monday = datetime(2026, 11, 30, 9, tzinfo=UTC)  # defaults: Friday (4) 18:00 UTC
    assert send_digests(pool, digest_settings, now=monday).not_due == 2 and inbox.messages == []
    person = Recipient("u", "u@example.com", "US", (), digest_day=0, digest_hour=8)
    assert is_due(person, digest_settings, monday)
    assert not is_due(person, digest_settings, monday.replace(hour=7))
    assert is_due(Recipient("u", "u@example.com", "US", (), None, None), digest_settings,
                  datetime(2026, 12, 4, 18, 5, tzinfo=UTC))  # Friday 18:05: due
