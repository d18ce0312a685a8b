"""Sending email over SMTP from `SMTP_URL`: smtp://user:pass@host:port (STARTTLS when offered) or smtps:// (TLS).

The password is read from the URL when connecting and never logged; errors name the host only.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from cine_core.domain.errors import CineError

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 20.0
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class MailError(CineError):
    """The email could not be sent: check SMTP_URL and the mail server."""


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """A parsed SMTP_URL (repr hides the password)."""

    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return f"SmtpTarget({self.host}:{self.port}, tls={self.tls}, user={'yes' if self.username else 'no'})"


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp://user:pass@host:587 → SmtpTarget; ConfigError-like MailError for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise MailError("SMTP_URL must look like smtp://user:pass@host:port or smtps://user:pass@host:port")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:
        raise MailError("SMTP_URL has an invalid port") from exc
    return SmtpTarget(parts.hostname, port, parts.scheme == "smtps",
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


class SmtpMailer:
    """Sends EmailMessages through one SMTP server; a new connection per batch (`send_all`)."""

    def __init__(self, url: str, *, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        self.target = parse_smtp_url(url)
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        t = self.target
        context = ssl.create_default_context()
        if t.tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(t.host, t.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(t.host, t.port, timeout=self.timeout)
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
        if t.username:
            smtp.login(t.username, t.password or "")
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; MailError (naming the server, never the password) when it fails."""
        t = self.target
        try:
            with self._connect() as smtp:
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"Sending email through {t.host}:{t.port} failed: {type(exc).__name__}") from exc
        log.info("Sent email to one recipient through %s:%d", t.host, t.port)
