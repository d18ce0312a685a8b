"""The weekly discovery email: "5 new films I found for you this week".

compose (which films) → render (HTML + text) → mailer (SMTP_URL) → sent_log (one per person and ISO week),
driven by delivery.send_digests from the worker's clock (scheduler) or `python -m cine_core digest`.
Unsubscribe links carry a signed token (tokens) that works without signing in.
"""

from cine_core.digest.delivery import DigestRun, send_digests, unsubscribe_url
from cine_core.digest.tokens import make_unsubscribe_token, verify_unsubscribe_token

__all__ = ["DigestRun", "make_unsubscribe_token", "send_digests", "unsubscribe_url", "verify_unsubscribe_token"]
