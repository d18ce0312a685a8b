"""Unsubscribe tokens: HMAC-signed user ids; an empty secret signs nothing and verifies nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from cine_core.app.settings import unsubscribe
from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.digest.tokens import PURPOSE, make_unsubscribe_token, verify_unsubscribe_token
from cine_core.domain.errors import ConfigError
from cine_core.domain.watch import UserSettings
from cine_core.settings import save_settings

USER = "3f1c2a9e-6b7d-4e2f-9a1b-0c5d8e7f6a41"


def forged(user_id: str, secret: str) -> str:
    """What anyone can compute for a known (here: empty) secret."""
    digest = hmac.new(secret.encode(), PURPOSE + user_id.encode(), hashlib.sha256).digest()
    return f"{user_id}.{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def test_a_token_verifies_with_its_secret_only():
    token = make_unsubscribe_token(USER, "s3cret-key")
    assert verify_unsubscribe_token(token, "s3cret-key") == USER
    assert verify_unsubscribe_token(token, "other-key") is None


@pytest.mark.parametrize("secret", ["", "   ", "\n"])
def test_an_empty_secret_signs_nothing_and_verifies_nothing(secret):
    with pytest.raises(ConfigError, match="CINE_SECRET_KEY is empty"):
        make_unsubscribe_token(USER, secret)
    assert verify_unsubscribe_token(forged(USER, secret), secret) is None


@pytest.mark.parametrize("secret", ["", "  "])
def test_a_forged_link_under_an_empty_secret_leaves_the_email_on(pool, make_user, secret):
    user = make_user("ann@example.com")
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(user, "US", weekly_digest=True))
    settings = Settings(_env_file=None, cine_secret_key=secret)
    assert unsubscribe(pool, forged(user, secret), settings) is None
    with transaction(pool) as conn:
        assert conn.execute("select weekly_digest from user_settings where user_id = %s",
                            (user,)).fetchone()["weekly_digest"] is True
