"""The scout prefers films streaming on a person's services, and stores their own confidence."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.models import Match, Movie
from cine_core.domain.watch import UserSettings
from cine_core.recommend import pipeline
from cine_core.settings import save_settings
from cine_core.settings.nudge import STREAMABLE_NUDGE, nudge_streamable, restore_confidence
from tests.providers_data import APPLE, NETFLIX, region_offers, store_providers

ON_NETFLIX = {"US": region_offers(1, flatrate=[NETFLIX])}
RENT_ONLY = {"US": region_offers(2, rent=[APPLE])}


@dataclass(frozen=True)
class _Pick:
    movie_id: int
    confidence: float
    below_threshold: bool


def test_only_films_on_my_services_are_nudged_and_restore_gives_the_truth_back():
    judged = {1: (Match(1, 0.60, "a"), "local"), 2: (Match(2, 0.61, "b"), "local"), 3: (Match(3, 0.62, "c"), "local")}
    films = {1: Movie(1, "A", watch_providers=ON_NETFLIX), 2: Movie(2, "B", watch_providers=RENT_ONLY),
             3: Movie(3, "C")}
    nudged, truth = nudge_streamable(judged, films, "US", ["Netflix"])
    assert nudged[1][0].confidence == 0.60 + STREAMABLE_NUDGE
    assert nudged[2] == judged[2] and nudged[3] == judged[3]
    restored = restore_confidence([_Pick(1, 0.63, False), _Pick(3, 0.62, False)], truth, threshold=0.61)
    assert restored == [_Pick(1, 0.60, True), _Pick(3, 0.62, False)]


def test_without_services_nothing_changes():
    judged = {1: (Match(1, 0.6, "a"), "local")}
    nudged, _ = nudge_streamable(judged, {1: Movie(1, "A", watch_providers=ON_NETFLIX)}, "US", [])
    assert nudged == judged


class LadderMatcher:
    """Scores candidates in id order 0.60, 0.59, 0.58…: every step is smaller than the nudge."""

    name = "local"

    def __init__(self) -> None:
        self.scores: dict[int, float] = {}

    def match(self, *, profile, rated, candidates):
        ids = sorted(c.id for c in candidates)
        self.scores = {movie_id: round(0.60 - 0.01 * i, 2) for i, movie_id in enumerate(ids)}
        return [Match(i, self.scores[i], "because") for i in ids]


def _picks(pool, user_id: str) -> dict[int, float]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, confidence from recommendations where user_id = %s", (user_id,))
        return {r["movie_id"]: float(r["confidence"]) for r in rows.fetchall()}


@pytest.mark.slow
def test_the_scout_picks_a_streamable_film_over_a_slightly_better_one(pool, db_url, make_user):
    plain, streamer = make_user("plain@example.com"), make_user("streamer@example.com")
    ladder = LadderMatcher()
    settings = Settings(_env_file=None, database_url=db_url, min_picks=5, pick_threshold=0.9)
    ctx = pipeline.build_scout_context(settings, pool)
    ctx = pipeline.ScoutContext(pool=pool, settings=settings, store=ctx.store, matcher=ladder, local=ladder)
    with transaction(pool) as conn:
        liked = [r["id"] for r in conn.execute("select id from movies where 'Science Fiction' = any(genres)"
                                              " order by popularity desc limit 5").fetchall()]
        for user in (plain, streamer):
            for movie_id in liked:
                conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, 5)", (user, movie_id))
    pipeline.scout_user(ctx, plain)
    without = _picks(pool, plain)
    assert len(without) == 5  # all long shots (threshold 0.9): the five best of the ladder
    lowest = min(without.values())
    close = [i for i, c in ladder.scores.items() if i not in without and c > lowest - STREAMABLE_NUDGE]
    assert close
    store_providers(pool, {i: region_offers(i, flatrate=[NETFLIX]) for i in close})
    with transaction(pool) as conn:
        save_settings(conn, UserSettings(streamer, "US", ("Netflix",)))

    pipeline.scout_user(ctx, streamer)
    chosen = _picks(pool, streamer)
    assert len(chosen) == 5 and set(chosen) & set(close)
    assert all(chosen[i] == ladder.scores[i] for i in chosen)  # stored confidence is the matcher's own
