"""Invites and pairs: create an invite code, redeem one, end a movie night, read the member's pair.

Every write goes through a security-definer function (see the migration 20261130100000_movie_night.sql) in
the caller's own transaction, so the app and the REST API meet the same rules. A refusal raised by those
functions (unknown code, own invite, already paired) becomes a DataError with the function's own words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from cine_core.db import load_sql
from cine_core.domain.errors import DataError

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class Pair:
    """A `movie_night_pairs` row: an open invite (no invitee yet) or a pair."""

    id: int
    inviter_id: str
    inviter_name: str
    invite_code: str | None
    expires_at: datetime
    invitee_id: str | None
    invitee_name: str | None
    accepted_at: datetime | None
    ended_at: datetime | None
    picks_computed_at: datetime | None
    stale_since: datetime | None

    @property
    def members(self) -> tuple[str, str]:
        if self.invitee_id is None:
            raise DataError("This invite has not been accepted yet")
        return self.inviter_id, self.invitee_id

    @property
    def needs_picks(self) -> bool:
        """Accepted, not ended, and never computed or changed since (a member rated or watched something)."""
        return (self.accepted_at is not None and self.ended_at is None
                and (self.picks_computed_at is None or self.stale_since is not None))

    def partner_name(self, user_id: str) -> str | None:
        return self.invitee_name if str(user_id) == self.inviter_id else self.inviter_name

    def own_name(self, user_id: str) -> str | None:
        return self.inviter_name if str(user_id) == self.inviter_id else self.invitee_name


def _pair(row: dict[str, Any] | None) -> Pair | None:
    return Pair(**row) if row else None


def _refused(exc: psycopg.errors.RaiseException) -> DataError:
    message = exc.diag.message_primary or str(exc).splitlines()[0]
    return DataError(message)


def create_invite(conn: psycopg.Connection, display_name: str) -> str:
    """A fresh invite code for the caller (an open invite of theirs is replaced); valid for 7 days."""
    try:
        return conn.execute(load_sql(__name__, "create_invite"), {"name": display_name}).fetchone()["code"]
    except psycopg.errors.RaiseException as exc:
        raise _refused(exc) from exc


UNKNOWN_CODE = "That invite code is unknown, already used or expired"


def accept_invite(conn: psycopg.Connection, code: str, display_name: str) -> int | None:
    """Redeem someone's invite code as the caller: the new pair's id, or None for a code that is no live invite.

    A wrong code is counted by the database (past 10 an hour per person, redeeming is refused) and answered
    with None rather than an error, so the count survives: commit the transaction, then raise UNKNOWN_CODE."""
    try:
        pair_id = conn.execute(load_sql(__name__, "accept_invite"),
                               {"code": code, "name": display_name}).fetchone()["pair_id"]
    except psycopg.errors.RaiseException as exc:
        raise _refused(exc) from exc
    return None if pair_id is None else int(pair_id)


def end_pair(conn: psycopg.Connection, pair_id: int) -> bool:
    """End the caller's movie night (or withdraw their open invite); False if it was not theirs or already over."""
    return bool(conn.execute(load_sql(__name__, "end_pair"), {"pair_id": pair_id}).fetchone()["ended"])


def current_pair(conn: psycopg.Connection, user_id: str) -> Pair | None:
    """The member's newest pair or open invite (an ended pair for a day after), or None."""
    return _pair(conn.execute(load_sql(__name__, "current_pair"), {"user_id": user_id}).fetchone())


def pair_by_id(conn: psycopg.Connection, pair_id: int) -> Pair | None:
    return _pair(conn.execute(load_sql(__name__, "pair_by_id"), {"pair_id": pair_id}).fetchone())
