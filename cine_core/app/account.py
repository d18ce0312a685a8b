"""What Settings → "Your data" calls: the take-away ZIP, what deleting the account removes, and the deletion."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from psycopg_pool import ConnectionPool

from cine_core.account import AccountRows, build_export_zip, count_account_rows, delete_account
from cine_core.app.auth import AppUser
from cine_core.config import LOCAL_USER_ID
from cine_core.db import app_transaction, user_transaction

log = logging.getLogger(__name__)

__all__ = ["AccountRows", "delete_my_account", "deletion_preview", "export_file_name", "export_my_data"]


def export_file_name(now: datetime | None = None) -> str:
    return f"cineai-export-{(now or datetime.now(UTC)):%Y-%m-%d}.zip"


def export_my_data(pool: ConnectionPool, user: AppUser, *, now: datetime | None = None) -> bytes:
    """The person's ZIP, read in their own transaction (RLS: nothing of anyone else's can get in)."""
    account = {"email": user.email, "profile_name": user.name}
    with user_transaction(pool, user.id) as conn:
        return build_export_zip(conn, user.id, now=now or datetime.now(UTC), account=account)


def deletion_preview(pool: ConnectionPool, user_id: str) -> AccountRows:
    """What deleting the account would remove, per table (counted by a function granted to the app's login:
    some tables are the server's bookkeeping about the person, which they cannot read but which goes with them)."""
    with app_transaction(pool) as conn:
        return count_account_rows(conn, user_id)


def delete_my_account(pool: ConnectionPool, user_id: str) -> AccountRows:
    """Delete every row of the person with their account. The personal-mode user comes back empty at once
    (the app without sign-in always has its one local user)."""
    with app_transaction(pool) as conn:
        return delete_account(conn, user_id, keep_user=user_id == LOCAL_USER_ID)
