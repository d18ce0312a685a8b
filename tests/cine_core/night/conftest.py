"""Two real users with their own ratings, a watched film and a dismissed one each, paired for movie night."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.night import accept_invite, create_invite
from cine_core.taste.store import refresh_profile

# Alex: Michael Mann and crime; Sam: Nolan and science fiction.
ALEX_RATED = {949: 5, 155: 5, 807: 4.5, 1422: 4, 550: 2}  # Heat, The Dark Knight, Se7en, The Departed, Fight Club
SAM_RATED = {1538: 5, 157336: 5, 1124: 4.5, 329865: 4, 603: 1.5}  # Collateral, Interstellar, Prestige, Arrival, Matrix
ALEX_WATCHED, SAM_WATCHED = 27205, 146233  # Inception, Prisoners (watchlist, marked watched)
ALEX_DISMISSED, SAM_DISMISSED = 1949, 335984  # Zodiac, Blade Runner 2049 ("not interested")


@dataclass(frozen=True, slots=True)
class Couple:
    alex: str
    sam: str
    pair_id: int

    @property
    def seen(self) -> set[int]:
        """Every film either rated, watched or turned down."""
        return {*ALEX_RATED, *SAM_RATED, ALEX_WATCHED, SAM_WATCHED, ALEX_DISMISSED, SAM_DISMISSED}


def give_history(pool, user: str, rated: dict[int, float], watched: int, dismissed: int) -> None:
    with transaction(pool) as conn:
        for movie_id, rating in rated.items():
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)", (user, movie_id, rating))
        conn.execute("insert into watchlist (user_id, movie_id, watched_at) values (%s, %s, now())", (user, watched))
        conn.execute("insert into film_feedback (user_id, movie_id, kind) values (%s, %s, 'not_interested')",
                     (user, dismissed))
        refresh_profile(conn, user)  # what the worker does after ratings change


def pair_up(pool, inviter: str, invitee: str, names=("Alex", "Sam")) -> int:
    with user_transaction(pool, inviter) as conn:
        code = create_invite(conn, names[0])
    with user_transaction(pool, invitee) as conn:
        return accept_invite(conn, code, names[1])


@pytest.fixture
def couple(pool, make_user) -> Couple:
    alex, sam = make_user("alex@example.com"), make_user("sam@example.com")
    give_history(pool, alex, ALEX_RATED, ALEX_WATCHED, ALEX_DISMISSED)
    give_history(pool, sam, SAM_RATED, SAM_WATCHED, SAM_DISMISSED)
    return Couple(alex, sam, pair_up(pool, alex, sam))
