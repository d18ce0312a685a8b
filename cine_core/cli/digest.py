"""`python -m cine_core digest --send | --dry-run [--user ID]`: the weekly email now, due day or not."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from cine_core.config import Settings
from cine_core.db import database_url, open_pool
from cine_core.digest import send_digests

log = logging.getLogger(__name__)


def _preview(message: EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",))
    body = text.get_content() if text is not None else ""
    return f"To: {message['To']}\nSubject: {message['Subject']}\n\n{body}"


def run_digest(settings: Settings, *, dry_run: bool, user_id: str | None) -> str:
    """Send (or, dry, print) this week's email to everyone opted in who has not had it yet."""
    pool = open_pool(database_url(settings), max_size=2, name="digest")
    try:
        run = send_digests(pool, settings, user_id=user_id, force=True, dry_run=dry_run)
    finally:
        pool.close()
    if dry_run:
        previews = [_preview(m) for m in run.previews]
        return "\n---\n".join(previews + [f"Dry run: {len(previews)} email(s) would be sent, nothing was sent."])
    return f"Weekly email: {run.summary()}"
