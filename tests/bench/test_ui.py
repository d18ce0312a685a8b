"""bench.ui's Library rows: the big history it writes, and the table it reports."""

from __future__ import annotations

from bench import ui, ui_library
from cine_core.db import transaction


def test_the_big_history_is_three_thousand_ratings_and_five_thousand_watchlist_films(db_url, pool, local_user):
    ui_library.add_big_history(db_url)
    with transaction(pool) as conn:
        ratings = conn.execute("select count(*) as n from ratings where user_id = %s", (local_user,)).fetchone()["n"]
        listed = conn.execute("select count(*) as n from watchlist w where user_id = %s and not exists"
                              " (select 1 from ratings r where r.user_id = w.user_id and r.movie_id = w.movie_id)",
                              (local_user,)).fetchone()["n"]
    assert (ratings, listed) == (ui_library.BIG_RATINGS, ui_library.BIG_WATCHLIST)


def test_the_report_has_a_library_row_per_history_and_the_ratio():
    lib = {"page": 400, "watchlist_tab": 300, "history_tab": 350, "search": 250}
    result = {"clicks": 1, "bare": {"p50_ms": 50, "p95_ms": 60}, "dashboard_card_action": {"p50_ms": 80, "p95_ms": 90},
              "clicks_without_effect": 0, "ratio_p50": 1.6,
              "dashboard_first_pick_ms": {"cold": 1, "warm": 1, "in_app": 1},
              "library_ms": {"small": lib, "big": {**lib, "page": 480}}, "library_big_over_small": 1.2}
    text = ui.markdown(result)
    assert "| nearly empty | 400 | 300 | 350 | 250 |" in text
    assert "| big history | 480 | 300 | 350 | 250 |" in text
    assert "**1.2×**" in text


def test_paired_ratios_take_each_rounds_own_ratio():
    rounds = [{"small": {"page": 100, "history_tab": 200}, "big": {"page": 110, "history_tab": 600}},  # a load spike
              {"small": {"page": 400, "history_tab": 300}, "big": {"page": 420, "history_tab": 330}},
              {"small": {"page": 200, "history_tab": 250}, "big": {"page": 180, "history_tab": 250}}]
    assert ui_library.paired_ratios(rounds) == {"page": 1.05, "history_tab": 1.1}
    assert ui_library.paired_ratios([]) == {}
