"""bench.refresh's full-refresh row: the 1,000-rating person it generates, and the table it reports."""

from __future__ import annotations

from bench import refresh, refresh_full
from cine_core.db import transaction


def test_the_generated_person_has_a_thousand_distinct_dated_ratings_and_no_queued_job(pool):
    user = refresh_full.make_person(pool, refresh_full.FULL_RATINGS, seed=5)
    with transaction(pool) as conn:
        row = conn.execute("select count(*) as n, count(distinct movie_id) as films, min(rating) as low,"
                           " max(rating) as high, count(distinct rated_at::date) as days from ratings"
                           " where user_id = %s", (user,)).fetchone()
        queued = conn.execute("select count(*) as n from recommendation_refresh_queue where user_id = %s",
                              (user,)).fetchone()["n"]
    assert (row["n"], row["films"]) == (1000, 1000)
    assert float(row["low"]) <= 1.5 and float(row["high"]) == 5.0 and row["days"] > 300
    assert queued == 0


def test_the_report_has_the_full_refresh_row_against_ten_seconds():
    full = {"ratings": 1000, "people": 3, "warm_up_s": 9.1, "target_s": 10.0,
            "rows": [{"refresh": "first refresh (after an import)", "n": 3, "p50_s": 4.2, "max_s": 5.0,
                      "within_target": True},
                     {"refresh": "manual refresh (Refresh button)", "n": 3, "p50_s": 11.0, "max_s": 12.5,
                      "within_target": False}]}
    result = {"users": 20, "interval_s": 1.0, "machine": "test", "p50_ratio_poll_vs_listen": 2.0, "full_refresh": full,
              "rows": [{"config": "LISTEN/NOTIFY + poll", "poll_seconds": 5, "ratings": 1, "p50_s": 0.1, "p95_s": 0.2,
                        "max_s": 0.2, "mean_s": 0.1, "timeouts": 0}]}
    text = refresh.markdown(result)
    assert "Full refresh of a 1,000-rating person" in text
    assert "| first refresh (after an import) | 3 | 4.2 | 5.0 | yes |" in text
    assert "| manual refresh (Refresh button) | 3 | 11.0 | 12.5 | NO |" in text
