"""What the movie-night page calls: invite, redeem, end, and the pair's joint picks with both reasons.

Invites and reads run in the member's own transaction (RLS: their pairs and those pairs' picks only). The
joint picks are computed for the member (cine_core.night.refresh: security-definer functions that act only for
the member whose claims the transaction carries, no service rights) when a pair starts, by the worker after
either member's refresh when one of them rated, watched or turned down a film since, and on "Refresh".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.models import Movie
from cine_core.night import Pair, StoredPick, compute_pair, load_picks, reason_line
from cine_core.night import pairs as night_pairs

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 40


@dataclass(frozen=True, slots=True)
class NightPick:
    """A joint pick as one member sees it: their own line first, then their partner's."""

    movie: Movie
    confidence: float
    streamable: int  # members who can stream it on their services
    your_line: str
    partner_line: str

    @property
    def reason(self) -> str:
        return f"{self.your_line}; {self.partner_line}"


@dataclass(frozen=True, slots=True)
class MovieNight:
    """The member's movie night: 'none', an open invite ('invited'), a pair ('paired') or one just ended."""

    state: str  # 'none' | 'invited' | 'paired' | 'ended'
    pair_id: int | None = None
    your_name: str | None = None
    partner_name: str | None = None
    invite_code: str | None = None
    expires_at: datetime | None = None
    computed_at: datetime | None = None
    picks: tuple[NightPick, ...] = ()


def format_code(code: str) -> str:
    """ABCDEF012345 -> ABCD-EF01-2345 (redeeming ignores the dashes)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _name(display_name: str) -> str:
    name = " ".join((display_name or "").split())
    if not 1 <= len(name) <= MAX_NAME_CHARS:
        raise DataError(f"Choose a name of 1 to {MAX_NAME_CHARS} characters to show your friend")
    return name


def _as_seen_by(user_id: str, pair: Pair, pick: StoredPick) -> NightPick:
    partner = pair.partner_name(user_id) or "Your friend"
    inviter, invitee = (pick.inviter_film, pick.inviter_rating), (pick.invitee_film, pick.invitee_rating)
    own, theirs = (inviter, invitee) if user_id == pair.inviter_id else (invitee, inviter)
    return NightPick(pick.movie, pick.confidence, pick.streamable, reason_line(None, *own),
                     reason_line(partner, *theirs))


def _view(pool: ConnectionPool, user_id: str) -> tuple[MovieNight, Pair | None]:
    with user_transaction(pool, user_id) as conn:
        pair = night_pairs.current_pair(conn, user_id)
        if pair is None:
            return MovieNight("none"), None
        picks = load_picks(conn, pair.id) if pair.accepted_at and pair.ended_at is None else []
    state = "ended" if pair.ended_at else "paired" if pair.accepted_at else "invited"
    night = MovieNight(state, pair.id, pair.own_name(user_id), pair.partner_name(user_id),
                       format_code(pair.invite_code) if pair.invite_code else None, pair.expires_at,
                       pair.picks_computed_at, tuple(_as_seen_by(str(user_id), pair, p) for p in picks))
    return night, pair


def load_movie_night(pool: ConnectionPool, settings: Settings, user_id: str) -> MovieNight:
    """The member's movie night as stored. The worker recomputes an out-of-date list after either member's
    refresh (a film one of them just saw has already left it, by trigger); only a pair with no list yet
    (e.g. its first computation failed) is computed here."""
    night, pair = _view(pool, user_id)
    if pair is not None and pair.needs_picks and pair.picks_computed_at is None:
        compute_pair(pool, pair.id, default_region=settings.default_region, member=user_id)
        night, _ = _view(pool, user_id)
    return night


def refresh_movie_night(pool: ConnectionPool, settings: Settings, user_id: str) -> MovieNight:
    """Recompute the member's joint picks now (the pair is checked as theirs in their own transaction)."""
    _, pair = _view(pool, user_id)
    if pair is None or pair.accepted_at is None or pair.ended_at is not None:
        raise DataError("You have no movie night to refresh")
    compute_pair(pool, pair.id, default_region=settings.default_region, member=user_id)
    return _view(pool, user_id)[0]


def create_invite(pool: ConnectionPool, user_id: str, display_name: str) -> str:
    """A new invite code (shown as ABCD-EF01-2345) with the name the friend will see; valid 7 days."""
    with user_transaction(pool, user_id) as conn:
        code = night_pairs.create_invite(conn, _name(display_name))
    log.info("User %s created a movie-night invite", user_id)
    return format_code(code)


def accept_invite(pool: ConnectionPool, settings: Settings, user_id: str, code: str, display_name: str) -> MovieNight:
    """Redeem a friend's code; the pair's joint picks are computed at once."""
    with user_transaction(pool, user_id) as conn:
        pair_id = night_pairs.accept_invite(conn, code, _name(display_name))
    if pair_id is None:  # the wrong code is counted (committed above) toward the database's limit
        raise DataError(night_pairs.UNKNOWN_CODE)
    log.info("User %s joined movie night %s", user_id, pair_id)
    compute_pair(pool, pair_id, default_region=settings.default_region, member=user_id)
    return _view(pool, user_id)[0]


def end_movie_night(pool: ConnectionPool, user_id: str, pair_id: int) -> bool:
    """End the movie night (or withdraw the open invite); its joint picks are deleted."""
    with user_transaction(pool, user_id) as conn:
        ended = night_pairs.end_pair(conn, pair_id)
    log.info("User %s ended movie night %s: %s", user_id, pair_id, ended)
    return ended
