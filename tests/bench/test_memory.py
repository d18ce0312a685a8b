"""bench.memory: the flat-after-warm-up verdict, and the job askers of the worker soak (#26.7)."""

from __future__ import annotations

import argparse

from bench.bench_db import create_users
from bench.memory import CHAT_WINDOW, _Asker, app_phases, verdict
from cine_core.db import transaction


def test_flat_means_the_last_quarter_within_max_5_percent_or_15_mb_of_the_first():
    flat = [[i, i * 100, 400.0 + (i % 2)] for i in range(12)]
    growing = [[i, i * 100, 400.0 + 4 * i] for i in range(12)]
    assert verdict(flat)["flat"] and abs(verdict(flat)["mb_per_100_steps_after_warm_up"]) < 0.5
    assert not verdict(growing)["flat"] and verdict(growing)["mb_per_100_steps_after_warm_up"] == 4.0


def _ratings(pool, users: list[str]) -> int:
    with pool.connection() as conn:
        return conn.execute("select count(*) as n from public.ratings where user_id = any(%s::uuid[])",
                            (users,)).fetchone()["n"]


def test_a_fixed_history_soak_changes_ratings_without_adding_any(pool):
    users = create_users(pool, 2, seed=5)
    before = _ratings(pool, users)
    fixed = _Asker(pool, users, argparse.Namespace(rate=True, fixed_history=True))
    growing = _Asker(pool, users, argparse.Namespace(rate=True, fixed_history=False))
    for _ in range(3):
        with transaction(pool) as conn:
            assert sum(fixed.ask(conn, u) for u in users) == 2
    assert _ratings(pool, users) == before
    with pool.connection() as conn:
        queued = conn.execute("select count(*) as n from public.recommendation_refresh_queue"
                              " where user_id = any(%s::uuid[])", (users,)).fetchone()["n"]
    assert queued == 2  # the ratings trigger asked for each person's refresh (one queued job absorbs the rest)
    with transaction(pool) as conn:
        for u in users:
            growing.ask(conn, u)
    assert _ratings(pool, users) == before + 2


def test_chat_is_warm_once_the_page_window_is_full_and_its_first_message_row_is_not_judged():
    """The chat page draws its last CHAT_WINDOW turns: memory that grows until then is the page's content."""
    dashboard = [[i, i * 10, 400.0, i > 0] for i in range(6)]
    filling = [[60 + t, 50 + t, 400.0 + min(t, CHAT_WINDOW), True] for t in range(1, 3 * CHAT_WINDOW, 5)]
    phases, whole = app_phases(dashboard + filling, reruns=50)
    chat = phases["chat"]
    assert chat["warm_from_step"] == 50 + min(t for t in range(1, 3 * CHAT_WINDOW, 5) if t >= CHAT_WINDOW)
    assert chat["flat"] and chat["growth_after_warm_up_mb"] == 0.0
    assert phases["chat from its first message"]["growth_after_warm_up_mb"] > 0
    assert whole["flat"]
    grows = [[60 + t, 50 + t, 400.0 + t] for t in range(1, 3 * CHAT_WINDOW, 5)]
    assert not app_phases(dashboard + [s + [True] for s in grows], reruns=50)[1]["flat"]
