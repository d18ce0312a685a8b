"""Joint picks for two real users: nothing either has seen, each reason cites that person's own film."""

from __future__ import annotations

import time
from datetime import date

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.night import EVIDENCE_RATING, JOINT_PICKS, compute_pair, load_picks
from cine_core.recommend.ranker.rank import history_from, shared_ranker
from cine_core.taste.store import load_rated
from tests.cine_core.night.conftest import ALEX_RATED, SAM_RATED
from tests.providers_data import NETFLIX, region_offers, store_providers

REGION = "US"


def _stored(pool, pair_id: int) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute("select * from movie_night_picks where pair_id = %s order by rank", (pair_id,)).fetchall()


def test_the_list_holds_no_film_either_rated_watched_or_turned_down(pool, couple):
    assert compute_pair(pool, couple.pair_id, default_region=REGION) == JOINT_PICKS
    rows = _stored(pool, couple.pair_id)
    assert len(rows) == JOINT_PICKS
    assert {r["movie_id"] for r in rows}.isdisjoint(couple.seen)


def test_each_reason_cites_a_film_its_own_person_rated_highly(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    rows = _stored(pool, couple.pair_id)
    alex_cited = {r["inviter_film_id"] for r in rows} - {None}
    sam_cited = {r["invitee_film_id"] for r in rows} - {None}
    assert alex_cited and sam_cited
    assert alex_cited <= {m for m, rating in ALEX_RATED.items() if rating >= EVIDENCE_RATING}
    assert sam_cited <= {m for m, rating in SAM_RATED.items() if rating >= EVIDENCE_RATING}
    for r in rows:
        if r["inviter_film_id"] is not None:
            assert float(r["inviter_film_rating"]) == ALEX_RATED[r["inviter_film_id"]]
        if r["invitee_film_id"] is not None:
            assert float(r["invitee_film_rating"]) == SAM_RATED[r["invitee_film_id"]]


def test_the_list_is_ranked_by_the_weaker_confidence(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    confidences = [r["confidence"] for r in _stored(pool, couple.pair_id)]
    assert confidences == sorted(confidences, reverse=True)  # no services set: no streaming preference


def test_a_film_rated_after_the_picks_leaves_the_list_at_once_and_marks_it_stale(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    first = _stored(pool, couple.pair_id)[0]["movie_id"]
    with user_transaction(pool, couple.sam) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 3)", (couple.sam, first))
    assert first not in {r["movie_id"] for r in _stored(pool, couple.pair_id)}
    with transaction(pool) as conn:
        stale = conn.execute("select stale_since from movie_night_pairs where id = %s", (couple.pair_id,)).fetchone()
    assert stale["stale_since"] is not None
    compute_pair(pool, couple.pair_id, default_region=REGION)
    assert first not in {r["movie_id"] for r in _stored(pool, couple.pair_id)}
    with transaction(pool) as conn:
        row = conn.execute("select stale_since, picks_computed_at from movie_night_pairs where id = %s",
                           (couple.pair_id,)).fetchone()
    assert row["stale_since"] is None and row["picks_computed_at"] is not None


def test_a_member_reads_the_picks_with_both_cited_titles(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    with user_transaction(pool, couple.sam) as conn:
        picks = load_picks(conn, couple.pair_id)
    assert len(picks) == JOINT_PICKS and [p.rank for p in picks] == list(range(1, JOINT_PICKS + 1))
    titles = {"Heat", "The Dark Knight", "Se7en", "The Departed", "Collateral", "Interstellar", "The Prestige",
              "Arrival"}
    assert {p.inviter_film for p in picks} - {None} <= titles
    assert any(p.inviter_film and p.invitee_film for p in picks)


def test_computing_a_joint_list_takes_under_two_seconds(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)  # warm: named SQL read, numpy paths
    began = time.perf_counter()
    compute_pair(pool, couple.pair_id, default_region=REGION)
    assert time.perf_counter() - began < 2.0


def test_an_ended_pair_gets_no_picks(pool, couple):
    with user_transaction(pool, couple.alex) as conn:
        conn.execute("select movie_night_end(%s)", (couple.pair_id,))
    assert compute_pair(pool, couple.pair_id, default_region=REGION) is None
    assert _stored(pool, couple.pair_id) == []


def test_films_both_can_stream_are_counted_and_preferred(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    last = _stored(pool, couple.pair_id)[-1]["movie_id"]
    store_providers(pool, {last: region_offers(last, flatrate=[NETFLIX])})
    with transaction(pool) as conn:
        for user, services in ((couple.alex, ["Netflix"]), (couple.sam, ["Netflix", "Max"])):
            conn.execute("insert into user_settings (user_id, region, streaming_services) values (%s, 'US', %s)",
                         (user, services))
    compute_pair(pool, couple.pair_id, default_region=REGION)
    rows = {r["movie_id"]: r for r in _stored(pool, couple.pair_id)}
    assert rows[last]["streamable"] == 2 and rows[last]["rank"] < JOINT_PICKS
    assert sum(r["streamable"] for r in rows.values()) == 2


def test_the_joint_confidence_is_the_weaker_of_the_two_confidences_the_picks_ranker_gives(pool, couple):
    compute_pair(pool, couple.pair_id, default_region=REGION)
    rows = _stored(pool, couple.pair_id)
    ids = [r["movie_id"] for r in rows]
    ranker = shared_ranker()
    with transaction(pool) as conn:
        rated = {m: load_rated(conn, m) for m in (couple.alex, couple.sam)}
    each = {m: {f.movie_id: f.confidence for f in ranker.rank(history_from(rated[m]), among=ids, limit=len(ids),
                                                               released_by=date.today())}
            for m in rated}
    for r in rows:
        assert float(r["confidence"]) == pytest.approx(min(each[couple.alex][r["movie_id"]],
                                                           each[couple.sam][r["movie_id"]]), abs=1e-4)
