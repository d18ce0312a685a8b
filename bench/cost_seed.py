"""The seed's design for bench.cost: one Claude call per film, for the top SEED_FILMS trending films, every pass.

The seed scored each person's top 10 trending films with one Messages call per film (the same prompt, one
candidate) on every scheduled pass: it had no "nothing changed" check and no stored verdicts, so each of a
day's SEED_PASSES_PER_DAY passes paid again. bench.cost runs one such pass per user and simulated day
(with the day's activity applied first, as for the other designs) and multiplies its calls, tokens and dollars
by SEED_PASSES_PER_DAY. TMDB is modeled, not measured: the seed fetched the trending list and each film's
details per user with no shared cache (1 + SEED_FILMS calls per user and pass). With nothing shared between
people, the cost per person is the same in any population: at most SEED_USERS people are simulated (1,000 users
x 7 days would be 70,000 stub calls, more CPU than the two designs measured).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from cine_core.db import transaction
from cine_core.recommend.claude_scorer import ClaudeMatcher
from cine_core.recommend.pipeline import ScoutContext
from cine_core.taste import store as taste_store

SEED_FILMS = 10
SEED_PASSES_PER_DAY = 12  # a pass every 2 hours, each one re-scoring every film
SEED_TMDB_CALLS_PER_PASS = 1 + SEED_FILMS
SEED_USERS = 100  # people simulated: nothing is shared, so the cost per person does not depend on how many


def seed_pass(ctx: ScoutContext, claude: ClaudeMatcher, users: list[str], lanes: ThreadPoolExecutor) -> None:
    """One seed pass: every user's top SEED_FILMS trending films, one Claude call each."""
    films = ctx.store.trending("day", limit=SEED_FILMS)

    def one(user_id: str) -> None:
        with transaction(ctx.pool) as conn:
            profile = taste_store.refresh_profile(conn, user_id)
            rated = taste_store.load_rated(conn, user_id)
        for film in films:
            claude.match(profile=profile, rated=rated, candidates=[film])

    list(lanes.map(one, users))
