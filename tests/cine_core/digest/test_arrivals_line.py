"""The weekly email's 'Now on your services' line: each arrival told once, in the next email only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cine_core.db import transaction
from cine_core.digest import send_digests

NOW = datetime(2026, 12, 4, 18, 5, tzinfo=UTC)


def test_an_arrival_is_told_in_the_next_email_and_never_again(pool, people, inbox, digest_settings):
    with transaction(pool) as conn:
        conn.execute("insert into service_arrivals (user_id, movie_id, region, services, arrived_at)"
                     " values (%s, 27205, 'US', '{Netflix}', %s)", (people["bob"], NOW - timedelta(days=1)))
    send_digests(pool, digest_settings, force=True, now=NOW)
    bob = inbox.to("bob.films@example.org")[0]
    text = bob.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = bob.get_body(("html",)).get_content()
    assert "Now on your services:\n- Inception (2010) is now on Netflix" in text
    assert "Inception (2010) is now on Netflix" in html
    assert "Now on your services" not in inbox.to("ann@example.com")[0].get_body(("plain",)).get_content()
    with transaction(pool) as conn:  # told: the next email's line leaves it out
        assert conn.execute("select emailed_at from service_arrivals").fetchone()["emailed_at"] is not None
