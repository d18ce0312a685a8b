"""What a user does in the app: rate, 👍/👎, dismiss, watchlist, ask for a refresh.

Each action is one `user_transaction` (role authenticated, RLS claims) with an explicit user_id
filter. A rating insert enqueues a refresh through the ratings trigger; other actions that change
what CineAI should pick call `refresh_queue.request_refresh` themselves. The SQL lives in `actions.sql`.
"""

from __future__ import annotations

import logging
import math

from psycopg_pool import ConnectionPool

from cine_core.db import load_sql, user_transaction
from cine_core.domain.errors import DataError
from cine_core.domain.models import Feedback, RatingSource, TriggerType, is_valid_rating
from cine_core.jobs.refresh_queue import request_refresh

log = logging.getLogger(__name__)

# Same words as the DB's CHECK message (db._CONSTRAINT_MESSAGES), so the UI and the DB agree.
INVALID_RATING_MESSAGE = "a rating must be between 0.5 and 5 stars in half-star steps"
FEEDBACK_WORDS = {Feedback.UP: "👍 more like this", Feedback.DOWN: "👎 less like this",
                  Feedback.NOT_INTERESTED: "🚫 not interested", Feedback.SEEN: "seen it"}


def validate_rating(rating: float) -> float:
    """Return the rating as a float or raise DataError: 0.5–5 in half steps, as the DB CHECK."""
    try:
        value = float(rating)
    except (TypeError, ValueError) as exc:
        raise DataError(f"Invalid rating {rating!r}: {INVALID_RATING_MESSAGE}") from exc
    if math.isnan(value) or not is_valid_rating(value):
        raise DataError(f"Invalid rating {rating!r}: {INVALID_RATING_MESSAGE}")
    return value


def rate(pool: ConnectionPool, user_id: str, movie_id: int, rating: float,
         source: RatingSource | str = RatingSource.APP) -> None:
    """Store (or change) the user's rating; the DB trigger enqueues a refresh of their picks."""
    value = validate_rating(rating)
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "rate"), (user_id, movie_id, value, str(RatingSource(source))))
    log.info("User %s rated film %s: %s", user_id, movie_id, value)


def remove_rating(pool: ConnectionPool, user_id: str, movie_id: int) -> None:
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "remove_rating"), (user_id, movie_id))
        request_refresh(conn, user_id, TriggerType.NEW_RATING)


def give_feedback(pool: ConnectionPool, user_id: str, movie_id: int, feedback: Feedback | str) -> bool:
    """👍 / 👎 / not interested / seen it on any film: one `film_feedback` row (never a rating), marked on
    the pick too if the film is one; enqueues a refresh. True if a new refresh job was queued.

    A film the user already rated keeps its rating; 👍/👎 then only says what they think of the pick.
    """
    kind = Feedback(feedback)
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "give_feedback"), (user_id, movie_id, str(kind)))
        if kind is not Feedback.SEEN:  # the pick's own column knows up / down / not_interested
            conn.execute(load_sql(__name__, "feedback_on_pick"), (str(kind), user_id, movie_id))
        queued = request_refresh(conn, user_id, TriggerType.FEEDBACK)
    # The verdict by name: "gave up on film" read as if the person had abandoned it.
    log.info("User %s said %s (%s) about film %s", user_id, FEEDBACK_WORDS[kind], kind.value, movie_id)
    return queued


def dismiss(pool: ConnectionPool, user_id: str, movie_id: int) -> bool:
    """"Not interested": hide the film for good (a pick or any other film, no pick row is invented)."""
    return give_feedback(pool, user_id, movie_id, Feedback.NOT_INTERESTED)


def mark_seen(pool: ConnectionPool, user_id: str, movie_id: int) -> bool:
    """"Seen it" without stars: out of the picks at once; a later rating says what they thought of it."""
    return give_feedback(pool, user_id, movie_id, Feedback.SEEN)


def withdraw_feedback(pool: ConnectionPool, user_id: str, movie_id: int) -> None:
    """Undo 👍 / 👎 / not interested / seen it on a film (History); enqueues a refresh."""
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "withdraw_feedback"), (user_id, movie_id))
        conn.execute(load_sql(__name__, "clear_pick_feedback"), (user_id, movie_id))
        request_refresh(conn, user_id, TriggerType.FEEDBACK)


def add_to_watchlist(pool: ConnectionPool, user_id: str, movie_id: int) -> None:
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "add_to_watchlist"), (user_id, movie_id))
        request_refresh(conn, user_id, TriggerType.FEEDBACK)  # a watchlisted film is a liked signal for the scout


def remove_from_watchlist(pool: ConnectionPool, user_id: str, movie_id: int) -> None:
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "remove_from_watchlist"), (user_id, movie_id))


def mark_watched(pool: ConnectionPool, user_id: str, movie_id: int, rating: float | None = None) -> None:
    """Mark a watchlist film as watched (adding it if needed), optionally rating it in the same step."""
    value = validate_rating(rating) if rating is not None else None
    with user_transaction(pool, user_id) as conn:
        conn.execute(load_sql(__name__, "mark_watched"), (user_id, movie_id))
        if value is not None:
            conn.execute(load_sql(__name__, "rate_watched"), (user_id, movie_id, value))


def request_manual_refresh(pool: ConnectionPool, user_id: str) -> bool:
    """The person pressed Refresh (or Try again): trigger 'manual', so the worker gathers afresh and always
    delivers a new set; counted against the person's manual limit (DataError over it). True if a new job was
    queued, False if a pending one took the request."""
    with user_transaction(pool, user_id) as conn:
        return request_refresh(conn, user_id, TriggerType.MANUAL)


def request_upkeep_refresh(pool: ConnectionPool, user_id: str) -> bool:
    """The dashboard found the picks missing or over a day old, nobody pressed anything: trigger 'scheduled',
    the same upkeep the worker's scout does every 2 h, so it neither spends the person's manual limit nor
    forces a full gather. True if a new job was queued, False if a pending one took the request."""
    with user_transaction(pool, user_id) as conn:
        return request_refresh(conn, user_id, TriggerType.SCHEDULED)


def remove_taste_item(pool: ConnectionPool, user_id: str, key: str) -> bool:
    """Delete one learned preference ("genre:horror") for good; enqueues a refresh of the picks."""
    from cine_core.taste.store import relearn

    # The profile is server-owned (users have no write grant on taste_profile): rebuilt from the person's rows
    # read as the person and written through a security-definer function as the app's own login (no service
    # rights).
    relearn(pool, user_id, forget=key)
    with user_transaction(pool, user_id) as conn:
        queued = request_refresh(conn, user_id, TriggerType.FEEDBACK)
    log.info("User %s removed taste item %s", user_id, key)
    return queued
