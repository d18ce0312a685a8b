"""Invites: a code redeemed once by another signed-in person, within 7 days; either member ends the pair."""

from __future__ import annotations

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.night import accept_invite, create_invite, current_pair, end_pair
from cine_core.night.pairs import UNKNOWN_CODE


def _invite(pool, user: str, name: str = "Alex") -> str:
    with user_transaction(pool, user) as conn:
        return create_invite(conn, name)


def _accept(pool, user: str, code: str, name: str = "Sam") -> int:
    with user_transaction(pool, user) as conn:
        pair_id = accept_invite(conn, code, name)
    if pair_id is None:  # as the app does: the wrong code's count is committed first
        raise DataError(UNKNOWN_CODE)
    return pair_id


def _pair(pool, user: str):
    with user_transaction(pool, user) as conn:
        return current_pair(conn, user)


def test_an_invite_redeemed_by_another_person_pairs_them_under_the_names_they_chose(pool, make_user):
    alex, sam = make_user(), make_user()
    code = _invite(pool, alex)
    assert _pair(pool, alex).invite_code == code and _pair(pool, sam) is None
    pair_id = _accept(pool, sam, f" {code[:4].lower()}-{code[4:8]}-{code[8:]} ")  # dashes and case forgiven
    for user, partner in ((alex, "Sam"), (sam, "Alex")):
        pair = _pair(pool, user)
        assert (pair.id, pair.partner_name(user), pair.invite_code, pair.needs_picks) == (pair_id, partner, None, True)


@pytest.mark.parametrize("problem", ["own", "used", "expired", "unknown"])
def test_a_code_that_is_not_a_live_invite_from_someone_else_is_refused(pool, make_user, problem):
    alex, sam, kim = make_user(), make_user(), make_user()
    code = _invite(pool, alex)
    redeemer, message = sam, "unknown, already used or expired"
    if problem == "own":
        redeemer, message = alex, "your own invite"
    elif problem == "used":
        _accept(pool, kim, code)
    elif problem == "expired":
        with transaction(pool) as conn:
            conn.execute("update movie_night_pairs set expires_at = now() - interval '1 minute'")
    else:
        code = "0123456789AB"
    with pytest.raises(DataError, match=message):
        _accept(pool, redeemer, code)


def test_someone_in_a_movie_night_cannot_start_another_until_it_ends(pool, make_user):
    alex, sam, kim = make_user(), make_user(), make_user()
    pair_id = _accept(pool, sam, _invite(pool, alex))
    with pytest.raises(DataError, match="already have a movie night"):
        _invite(pool, sam)
    with pytest.raises(DataError, match="already have a movie night"):
        _accept(pool, alex, _invite(pool, kim, "Kim"))
    with user_transaction(pool, sam) as conn:
        assert end_pair(conn, pair_id)
        assert not end_pair(conn, pair_id)  # already over
    assert _pair(pool, alex).ended_at is not None  # the other member sees it ended
    assert _accept(pool, alex, _invite(pool, kim, "Kim"))


def test_a_new_invite_replaces_the_open_one_and_a_withdrawn_invite_is_gone(pool, make_user):
    alex, sam = make_user(), make_user()
    first = _invite(pool, alex)
    second = _invite(pool, alex)
    with pytest.raises(DataError, match="unknown"):
        _accept(pool, sam, first)
    with user_transaction(pool, alex) as conn:
        assert end_pair(conn, current_pair(conn, alex).id)
        assert current_pair(conn, alex) is None
    with pytest.raises(DataError, match="unknown"):
        _accept(pool, sam, second)


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
def test_a_display_name_must_be_one_to_forty_characters(pool, make_user, name):
    with pytest.raises(DataError, match="1 to 40 characters"):
        _invite(pool, make_user(), name)
