"""What the scout stores for the grid: the acclaimed shelf for a newcomer, one film per franchise."""

from __future__ import annotations

from cine_core.db import transaction
from cine_core.recommend import pipeline
from tests.cine_core.test_scout import offline_ctx, rate, stored_picks  # noqa: F401 (offline_ctx is a fixture)


def test_a_user_without_ratings_keeps_the_acclaimed_fallback_shelf(pool, local_user, offline_ctx):
    from cine_core.app.dashboard import load_dashboard
    from cine_core.db import user_transaction

    with user_transaction(pool, local_user) as conn:
        fallback = load_dashboard(conn, local_user).fallback
    result = pipeline.scout_user(offline_ctx, local_user)
    assert result.picks == 0 and stored_picks(pool, local_user) == []
    with user_transaction(pool, local_user) as conn:
        shelf = load_dashboard(conn, local_user)
    assert not shelf.picks
    mean = sum(c.movie.vote_average for c in shelf.fallback) / len(shelf.fallback)
    assert mean >= sum(c.movie.vote_average for c in fallback) / len(fallback)
    assert mean >= 8.0  # The Shawshank Redemption and The Godfather, not Battleship


def test_stored_picks_hold_one_film_per_franchise(pool, local_user, offline_ctx):
    from cine_core.recommend.franchise import same_series

    with transaction(pool) as conn:
        ids = [r["id"] for r in conn.execute(
            "select id from movies where title in ('The Matrix', 'The Terminator', 'Alien', 'Die Hard')")]
    rate(pool, local_user, ids)
    pipeline.scout_user(offline_ctx, local_user)
    picks = stored_picks(pool, local_user)
    films = offline_ctx.store.get([p["movie_id"] for p in picks])
    chosen = [films[p["movie_id"]] for p in picks if p["movie_id"] in films]
    assert len(chosen) >= 12
    assert not [(a.title, b.title) for i, a in enumerate(chosen) for b in chosen[i + 1:] if same_series(a, b)]
