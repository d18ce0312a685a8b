"""Send the weekly discovery email to everyone it is due for: claim, choose films, render, send, record.

Each person is claimed in a committed transaction before anything is sent (sent_log), so restarts and
several workers send at most one email per person and ISO week. Due means: opted in, and this week's
send moment (their day and hour, else DIGEST_WEEKDAY / DIGEST_HOUR, UTC) has passed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from psycopg_pool import ConnectionPool

from cine_core.alerts.arrivals import mark_emailed, unemailed_arrivals
from cine_core.config import Settings
from cine_core.db import service_transaction
from cine_core.digest import sent_log
from cine_core.digest.compose import choose_films
from cine_core.digest.mailer import MailError, SmtpMailer
from cine_core.digest.render import EmailContext, render_email
from cine_core.digest.tokens import make_unsubscribe_token
from cine_core.domain.errors import CineError, ConfigError
from cine_core.domain.protocols import Matcher

log = logging.getLogger(__name__)


@dataclass
class DigestRun:
    """What one pass did; `previews` holds the rendered messages of a dry run."""

    sent: int = 0
    empty: int = 0  # nothing new for them this week
    failed: int = 0
    not_due: int = 0
    previews: list = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.sent} sent, {self.empty} with nothing new, {self.failed} failed, "
                f"{self.not_due} not due yet")


def is_due(recipient: sent_log.Recipient, settings: Settings, now: datetime) -> bool:
    """This week's send moment has passed (the week runs Monday 00:00 to Sunday 24:00 UTC)."""
    day = recipient.digest_day if recipient.digest_day is not None else settings.digest_weekday
    hour = recipient.digest_hour if recipient.digest_hour is not None else settings.digest_hour
    return (now.weekday(), now.hour) >= (day, hour)


def unsubscribe_url(settings: Settings, user_id: str) -> str:
    if settings.cine_secret_key is None:
        raise ConfigError("CINE_SECRET_KEY is not set: unsubscribe links cannot be signed")
    token = make_unsubscribe_token(user_id, settings.cine_secret_key.get_secret_value())
    return f"{settings.cine_public_url.rstrip('/')}/?unsubscribe={token}"


def _matcher() -> Matcher:
    from cine_core.recommend.local_scorer import LocalMatcher  # lazy: seconds of indexing a dry config never needs

    return LocalMatcher()


def send_digests(pool: ConnectionPool, settings: Settings, *, mailer: SmtpMailer | None = None,
                 matcher: Matcher | None = None, now: datetime | None = None, user_id: str | None = None,
                 force: bool = False, dry_run: bool = False, stop: threading.Event | None = None) -> DigestRun:
    """Send every due email (`force`: due or not, this week; `dry_run`: render only, claim and send nothing)."""
    if not settings.digest_enabled:
        raise ConfigError("The weekly email needs SMTP_URL, CINE_MAIL_FROM and CINE_SECRET_KEY")
    now = now or datetime.now(UTC)
    week = sent_log.iso_week(now)
    run = DigestRun()
    with service_transaction(pool) as conn:
        recipients = sent_log.opted_in(conn, week, user_id)
    if not recipients:
        return run
    matcher = matcher or _matcher()
    if mailer is None and not dry_run:
        mailer = SmtpMailer(settings.smtp_url.get_secret_value())
    for recipient in recipients:
        if stop is not None and stop.is_set():
            break
        if not force and not is_due(recipient, settings, now):
            run.not_due += 1
            continue
        try:
            _send_one(pool, settings, recipient, week, now, matcher, mailer, run, dry_run=dry_run)
        except CineError as exc:  # one person's failure (e.g. the database blinked) never stops the others
            run.failed += 1
            log.warning("Digest for %s failed: %s", recipient.user_id, exc)
    log.info("Digest %s: %s", week, run.summary())
    return run


def _send_one(pool: ConnectionPool, settings: Settings, recipient: sent_log.Recipient, week: str, now: datetime,
              matcher: Matcher, mailer: SmtpMailer | None, run: DigestRun, *, dry_run: bool) -> None:
    if not dry_run:
        with service_transaction(pool) as conn:
            if not sent_log.claim(conn, recipient.user_id, week):
                return  # another worker (or an earlier pass) has it
    with service_transaction(pool) as conn:
        past = sent_log.history(conn, recipient.user_id)
        films = choose_films(conn, matcher, recipient.user_id, now=now, last_sent_at=past.last_sent_at,
                             already_sent=past.film_ids)
        arrived = unemailed_arrivals(conn, recipient.user_id)
    if not films:
        run.empty += 1
        if not dry_run:
            with service_transaction(pool) as conn:
                sent_log.finish(conn, recipient.user_id, week, status="empty", film_ids=[])
        return
    ctx = EmailContext(to=recipient.email, sender=settings.cine_mail_from or "", public_url=settings.cine_public_url,
                       unsubscribe_url=unsubscribe_url(settings, recipient.user_id),
                       region=recipient.region or settings.default_region, services=recipient.streaming_services,
                       arrived=tuple(a.line for a in arrived))
    message = render_email(films, ctx)
    film_ids = [f.movie.id for f in films]
    if dry_run:
        run.previews.append(message)
        run.sent += 1
        return
    try:
        mailer.send(message)
    except MailError as exc:
        run.failed += 1
        with service_transaction(pool) as conn:
            sent_log.finish(conn, recipient.user_id, week, status="failed", film_ids=film_ids, error=str(exc))
        log.warning("Digest for %s not sent: %s", recipient.user_id, exc)
        return
    with service_transaction(pool) as conn:
        sent_log.finish(conn, recipient.user_id, week, status="sent", film_ids=film_ids)
        mark_emailed(conn, recipient.user_id, [a.movie_id for a in arrived])  # one email line per film, ever
    run.sent += 1
