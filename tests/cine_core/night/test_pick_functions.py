"""Movie night's joint picks without service rights: the app's own login computes them for a member through
night_pair_inputs / store_night_picks, which act only for the member whose claims the transaction carries, on
their active pair, and refuse malformed picks or a cited film its member did not rate 4 or more."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from psycopg.types.json import Jsonb

from cine_core.config import Settings
from cine_core.db import app_transaction, open_app_pool, transaction, user_transaction
from cine_core.domain.errors import DataError
from cine_core.night import JOINT_PICKS, compute_pair, end_pair, load_picks
from cine_core.night.picks import load_inputs
from tests.cine_core.night.conftest import ALEX_RATED, SAM_RATED

HEAT, FIGHT_CLUB, COLLATERAL, ALIEN, JAWS = 949, 550, 1538, 348, 578


@pytest.fixture
def app_pool(db_url):
    pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=2)
    yield pool
    pool.close()


def _store(pool, member, pair_id, picks, *, started=None):
    with app_transaction(pool, user_id=member) as conn:
        started = started or conn.execute("select now() as t").fetchone()["t"]
        return conn.execute("select public.store_night_picks(%s, %s, %s) as ok",
                            (pair_id, started, Jsonb(picks))).fetchone()["ok"]


def _pick(movie_id=ALIEN, rank=1, **fields) -> dict:
    return {"movie_id": movie_id, "rank": rank, "confidence": 0.8, "streamable": 0} | fields


def test_the_app_computes_a_members_joint_picks_without_service_rights(app_pool, couple):
    assert compute_pair(app_pool, couple.pair_id, default_region="US", member=couple.sam) == JOINT_PICKS
    with user_transaction(app_pool, couple.alex) as conn:
        picks = load_picks(conn, couple.pair_id)
    assert len(picks) == JOINT_PICKS and not {p.movie.id for p in picks} & couple.seen


def test_someone_outside_the_pair_gets_no_inputs_and_cannot_store_picks(app_pool, couple, make_user):
    stranger = make_user("stranger@example.com")
    assert compute_pair(app_pool, couple.pair_id, default_region="US", member=stranger) is None
    with app_transaction(app_pool, user_id=stranger) as conn:
        assert load_inputs(conn, couple.pair_id, default_region="US") is None
    with pytest.raises(DataError, match="not a movie night of yours"):
        _store(app_pool, stranger, couple.pair_id, [_pick()])
    with pytest.raises(DataError, match="not a movie night of yours"), app_transaction(app_pool) as conn:
        conn.execute("select public.store_night_picks(%s, now(), '[]')", (couple.pair_id,))  # no claims at all


def test_the_inputs_carry_both_members_ratings_but_never_their_addresses(app_pool, pool, couple):
    with transaction(pool) as conn:
        conn.execute("insert into user_settings (user_id, region, streaming_services, digest_email, notify_url)"
                     " values (%s, 'DE', '{Netflix}', 'sam@private.example', 'ntfy://secret')", (couple.sam,))
    with app_transaction(app_pool, user_id=couple.alex) as conn:
        inputs = load_inputs(conn, couple.pair_id, default_region="US")
        raw = conn.execute("select public.night_pair_inputs(%s)::text as doc", (couple.pair_id,)).fetchone()["doc"]
    alex, sam = inputs.members
    assert (alex.user_id, sam.user_id) == (couple.alex, couple.sam)
    assert {f: r for f, r, *_ in sam.ratings} == SAM_RATED and {f for f, *_ in alex.ratings} == set(ALEX_RATED)
    assert sam.settings.region == "DE" and sam.settings.streaming_services == ("Netflix",) and alex.settings is None
    assert "private.example" not in raw and "ntfy" not in raw


def test_an_ended_pair_gets_no_inputs_and_keeps_no_picks(app_pool, couple):
    with user_transaction(app_pool, couple.sam) as conn:
        assert end_pair(conn, couple.pair_id)
    with app_transaction(app_pool, user_id=couple.sam) as conn:
        assert load_inputs(conn, couple.pair_id, default_region="US") is None
    assert _store(app_pool, couple.sam, couple.pair_id, [_pick()]) is False


@pytest.mark.parametrize("picks", [
    [_pick(rank=i + 1, movie_id=m) for i, m in enumerate(range(1, 52))],  # more than 50
    [_pick(movie_id=987_654_321)],  # not a stored film
    [_pick(), _pick(rank=1, movie_id=JAWS)],  # two picks at one rank
    [_pick(), _pick(rank=2)],  # one film twice
    [_pick(rank=0)], [_pick(confidence=1.5)], [_pick(streamable=3)], [_pick(rank=None)],
    [_pick(reason="Sam said he'd pay")],  # a column of its own
    [_pick(inviter_film_rating=5)],  # the rating shown is the stored one, never the caller's
    {"movie_id": ALIEN}, [[ALIEN, 1]],
])
def test_malformed_picks_are_refused(app_pool, couple, picks):
    with pytest.raises(DataError, match="Rejected by the database: store_night_picks"):
        _store(app_pool, couple.alex, couple.pair_id, picks)


@pytest.mark.parametrize("hours", [-1, 2])
def test_a_start_outside_the_last_hour_is_refused(app_pool, couple, hours):
    started = datetime.now().astimezone() - timedelta(hours=hours)
    with pytest.raises(DataError, match="within the last hour"):
        _store(app_pool, couple.alex, couple.pair_id, [_pick()], started=started)


def test_a_cited_film_stays_only_when_its_member_rated_it_4_or_more(app_pool, couple):
    picks = [_pick(ALIEN, 1, inviter_film_id=HEAT, invitee_film_id=COLLATERAL),
             _pick(JAWS, 2, inviter_film_id=FIGHT_CLUB, invitee_film_id=HEAT)]  # Alex rated it 2; Sam never saw Heat
    assert _store(app_pool, couple.sam, couple.pair_id, picks) is True
    with user_transaction(app_pool, couple.alex) as conn:
        stored = {p.movie.id: p for p in load_picks(conn, couple.pair_id)}
    assert (stored[ALIEN].inviter_film, stored[ALIEN].inviter_rating) == ("Heat", ALEX_RATED[HEAT])
    assert (stored[ALIEN].invitee_film, stored[ALIEN].invitee_rating) == ("Collateral", SAM_RATED[COLLATERAL])
    assert (stored[JAWS].inviter_film, stored[JAWS].invitee_film) == (None, None)
