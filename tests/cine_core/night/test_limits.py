"""Movie night's limits live in the database: wrong invite codes per person an hour, one active night a person."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from cine_core.app import night as movie_night
from cine_core.config import get_settings
from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.night import accept_invite, create_invite

MAX_FAILURES = 10


def _invite(pool, user: str, name: str = "Alex") -> str:
    with user_transaction(pool, user) as conn:
        return create_invite(conn, name)


def _redeem(pool, user: str, code: str) -> int | None:
    with user_transaction(pool, user) as conn:
        return accept_invite(conn, code, "Sam")


def _failures(pool, user: str) -> int:
    with transaction(pool) as conn:
        return conn.execute("select count(*) as n from movie_night_code_failures where user_id = %s",
                            (user,)).fetchone()["n"]


def _active_nights(pool) -> dict[str, int]:
    with transaction(pool) as conn:
        rows = conn.execute("select u.id::text as id, count(*) as n from movie_night_pairs p join auth.users u"
                            " on u.id in (p.inviter_id, p.invitee_id)"
                            " where p.accepted_at is not null and p.ended_at is null group by u.id").fetchall()
    return {r["id"]: r["n"] for r in rows}


def test_past_ten_wrong_codes_in_an_hour_even_the_right_code_is_refused(pool, make_user):
    alex, sam, kim = make_user(), make_user(), make_user()
    code = _invite(pool, alex)
    settings = get_settings()
    for guess in range(MAX_FAILURES):
        with pytest.raises(DataError, match="unknown, already used or expired"):
            movie_night.accept_invite(pool, settings, sam, f"{guess:012X}", "Sam")
    assert _failures(pool, sam) == MAX_FAILURES  # each wrong code was kept, though the call failed
    with pytest.raises(DataError, match="Too many wrong invite codes"):
        _redeem(pool, sam, code)
    assert _failures(pool, kim) == 0 and _redeem(pool, kim, code)  # another person is not held back
    with transaction(pool) as conn:  # an hour later
        conn.execute("update movie_night_code_failures set at = at - interval '61 minutes'")
    assert _redeem(pool, sam, "0" * 12) is None and _failures(pool, sam) == MAX_FAILURES + 1
    assert _redeem(pool, sam, _invite(pool, make_user(), "Lee"))


def test_parallel_guesses_cannot_slip_under_the_limit(pool, make_user):
    sam = make_user()
    answers: list[str] = []

    def guess(n: int) -> None:
        try:
            answers.append("unknown" if _redeem(pool, sam, f"{n:012X}") is None else "paired")
        except DataError as exc:
            answers.append("limited" if "Too many" in str(exc) else str(exc))

    with ThreadPoolExecutor(4) as workers:
        list(workers.map(guess, range(40)))
    assert sorted(set(answers)) == ["limited", "unknown"]
    assert answers.count("unknown") == MAX_FAILURES and _failures(pool, sam) == MAX_FAILURES


def test_a_person_in_two_active_nights_is_refused_by_a_constraint(pool, make_user):
    alex, sam, kim = make_user(), make_user(), make_user()
    with transaction(pool) as conn:
        conn.execute("insert into movie_night_pairs (inviter_id, inviter_name, expires_at, invitee_id, invitee_name,"
                     " accepted_at) values (%s, 'Alex', now(), %s, 'Sam', now())", (alex, sam))
    with pytest.raises(psycopg.errors.UniqueViolation), psycopg.connect(pool.conninfo) as conn:
        conn.execute("insert into movie_night_pairs (inviter_id, inviter_name, expires_at, invitee_id, invitee_name,"
                     " accepted_at) values (%s, 'Kim', now(), %s, 'Alex', now())", (kim, alex))
    with transaction(pool) as conn:  # once the first night ends, a new one may start
        conn.execute("update movie_night_pairs set ended_at = now() where inviter_id = %s", (alex,))
        conn.execute("insert into movie_night_pairs (inviter_id, inviter_name, expires_at, invitee_id, invitee_name,"
                     " accepted_at) values (%s, 'Kim', now(), %s, 'Alex', now())", (kim, alex))
    assert _active_nights(pool) == {alex: 1, kim: 1}


def test_two_redemptions_at_once_never_give_one_person_two_nights(pool, make_user):
    for _ in range(8):
        alex, sam, kim = make_user(), make_user(), make_user()
        alex_code, kim_code = _invite(pool, alex), _invite(pool, kim, "Kim")  # Alex invited Sam; Kim invited Alex
        start = threading.Barrier(2)
        outcomes: list[str] = []

        def redeem(user: str, code: str, start: threading.Barrier, outcomes: list[str]) -> None:
            start.wait()
            try:
                outcomes.append("paired" if _redeem(pool, user, code) else "unknown")
            except DataError as exc:
                outcomes.append(str(exc))

        threads = [threading.Thread(target=redeem, args=(sam, alex_code, start, outcomes)),
                   threading.Thread(target=redeem, args=(alex, kim_code, start, outcomes))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert outcomes.count("paired") == 1, outcomes
        assert max(_active_nights(pool).values()) == 1
