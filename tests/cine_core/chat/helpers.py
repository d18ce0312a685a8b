"""Shared set-up for the chat tests: a user with 20 ratings of well-known films."""

from __future__ import annotations

from cine_core.db import transaction
from cine_core.taste import store as taste_store

# 20 popular films with ratings that make a taste: loves crime and sci-fi, dislikes romance.
TWENTY_RATINGS = {
    27205: 5.0, 157336: 4.5, 603: 5.0, 949: 4.5, 807: 4.5, 680: 5.0, 155: 5.0, 550: 4.5, 77: 4.0, 1124: 4.5,
    238: 5.0, 278: 4.5, 13: 3.5, 597: 2.0, 11036: 1.5, 120: 4.0, 24428: 3.5, 19995: 3.0, 8587: 4.0, 98: 4.0,
}


def rate_twenty(pool, user_id: str) -> None:
    with transaction(pool) as conn:
        ids = {r["id"] for r in conn.execute("select id from movies where id = any(%s)", (list(TWENTY_RATINGS),))}
        for movie_id, rating in TWENTY_RATINGS.items():
            if movie_id in ids:
                conn.execute("insert into ratings (user_id, movie_id, rating, source) values (%s, %s, %s, 'app')",
                             (user_id, movie_id, rating))
    with transaction(pool) as conn:
        taste_store.refresh_profile(conn, user_id)
        conn.execute("delete from recommendation_refresh_queue where user_id = %s", (user_id,))  # as if processed


def without_chat_limits(pool) -> None:
    """Scripted conversations send more than a person's per-minute limit; the limit has its own tests."""
    with transaction(pool) as conn:
        conn.execute("alter table public.movie_conversations disable trigger user")
