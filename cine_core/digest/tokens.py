"""Unsubscribe links that work without signing in: the user id signed with HMAC-SHA256 (CINE_SECRET_KEY).

A token only ever switches the weekly email off, so it does not expire; changing the secret invalidates
every link ever sent. An empty (or blank) secret is no secret: anyone could sign with it, so nothing is signed
with it (ConfigError) and no token verifies against it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import uuid

from cine_core.domain.errors import ConfigError

log = logging.getLogger(__name__)

PURPOSE = b"cineai-unsubscribe-v1:"  # a token signed for this cannot be reused for anything else


def _signature(user_id: str, secret: str) -> str:
    if not (secret or "").strip():
        raise ConfigError("CINE_SECRET_KEY is empty: unsubscribe links cannot be signed or checked")
    digest = hmac.new(secret.encode(), PURPOSE + user_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_unsubscribe_token(user_id: str, secret: str) -> str:
    """'<user id>.<signature>', safe in a URL query."""
    return f"{user_id}.{_signature(str(user_id), secret)}"


def verify_unsubscribe_token(token: str, secret: str) -> str | None:
    """The user id the token was made for, or None if it was not made with this secret (or is garbage)."""
    if not (secret or "").strip():
        log.warning("Rejected an unsubscribe token: CINE_SECRET_KEY is empty")
        return None
    user_id, _, signature = (token or "").strip().partition(".")
    try:
        uuid.UUID(user_id)
    except ValueError:
        return None
    if not hmac.compare_digest(signature.encode(), _signature(user_id, secret).encode()):
        log.info("Rejected an unsubscribe token with a bad signature")
        return None
    return user_id
