"""Dashboard: stored picks render as cards; actions write rows and enqueue refreshes; fallbacks."""

from __future__ import annotations

from datetime import timedelta

from cine_core.db import transaction
from cine_core.domain.vocabulary import MOODS
from tests.app.conftest import insert_picks, popular_ids, queue_rows


def _texts(at) -> str:
    return "\n".join(str(m.value) for m in at.markdown) + "\n".join(str(c.value) for c in at.caption)


def test_picks_render_with_reasons_and_freshness(app, pool, local_user):
    films = popular_ids(pool, 14)
    insert_picks(pool, local_user, films)
    app.run()
    assert not app.exception
    text = _texts(app)
    assert "Because you loved" in text
    assert "Picks updated 12 min ago" in text
    assert "95%" in text
    # 12 cards, the top ones by confidence
    assert len([b for b in app.button if b.key and b.key.startswith("pick-up-")]) == 12
    assert app.button(key=f"pick-up-{films[0]}")
    assert not [b for b in app.button if b.key == f"pick-up-{films[13]}"]


def _rows(pool, sql: str, *args) -> list[dict]:
    with transaction(pool) as conn:
        return conn.execute(sql, args).fetchall()


def test_thumbs_up_stores_feedback_never_a_rating_and_enqueues(app, pool, local_user):
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films)
    app.run()
    app.button(key=f"pick-up-{films[2]}").click().run()
    assert not app.exception
    assert _rows(pool, "select feedback from recommendations where user_id = %s and movie_id = %s",
                 local_user, films[2]) == [{"feedback": "up"}]
    assert _rows(pool, "select kind from film_feedback where user_id = %s", local_user) == [{"kind": "up"}]
    assert _rows(pool, "select * from ratings where user_id = %s", local_user) == []
    assert [r["status"] for r in queue_rows(pool, local_user)] == ["pending"]
    assert any("noted for" in s.value for s in app.success)
    assert any("You liked this pick" in c.value for c in app.caption)


def test_thumbs_down_hides_the_pick_and_enqueues(app, pool, local_user):
    films = popular_ids(pool, 13)
    insert_picks(pool, local_user, films)
    app.run()
    app.button(key=f"pick-down-{films[0]}").click().run()
    assert _rows(pool, "select feedback from recommendations where movie_id = %s", films[0]) == [{"feedback": "down"}]
    assert _rows(pool, "select kind from film_feedback where movie_id = %s", films[0]) == [{"kind": "down"}]
    assert _rows(pool, "select * from ratings where user_id = %s", local_user) == []
    keys = {b.key for b in app.button}
    assert f"pick-up-{films[0]}" not in keys and f"pick-up-{films[12]}" in keys
    assert queue_rows(pool, local_user)


def test_not_interested_hides_for_good_and_enqueues(app, pool, local_user):
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films)
    app.run()
    app.button(key=f"pick-hide-{films[1]}").click().run()
    assert _rows(pool, "select feedback from recommendations where movie_id = %s", films[1]) == [
        {"feedback": "not_interested"}]
    assert f"pick-up-{films[1]}" not in {b.key for b in app.button}
    assert queue_rows(pool, local_user)


def test_watchlist_button_adds_and_removes(app, pool, local_user):
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films)
    app.run()
    app.button(key=f"pick-watch-{films[3]}").click().run()
    assert _rows(pool, "select movie_id from watchlist where user_id = %s", local_user) == [{"movie_id": films[3]}]
    assert queue_rows(pool, local_user)
    app.button(key=f"pick-unwatch-{films[3]}").click().run()
    assert _rows(pool, "select movie_id from watchlist where user_id = %s", local_user) == []


def test_seen_it_rating_is_stored_shown_on_next_rerun_and_enqueues(app, pool, local_user):
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films)
    app.run()
    app.select_slider(key=f"pick-stars-{films[4]}").set_value(4.5)
    app.button(key=f"pick-rate-{films[4]}").click().run()
    assert not app.exception
    stored = _rows(pool, "select rating, source from ratings where user_id = %s", local_user)
    assert [(float(r["rating"]), r["source"]) for r in stored] == [(4.5, "app")]
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["new_rating"]
    assert any("You rated ★★★★½ 4.5" in c.value for c in app.caption)


def test_no_picks_enqueues_a_refresh_and_shows_the_fallback(app, pool, local_user):
    app.run()
    assert not app.exception
    # no ratings yet: the page promises no picks the worker will not make, it says what starts them
    assert any("start with your first ratings" in i.value for i in app.info)
    assert not any("being prepared" in w.value for w in app.warning)
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["scheduled"]
    fallback_keys = [b.key for b in app.button if b.key and b.key.startswith("fallback-up-")]
    assert len(fallback_keys) == 12


def test_dismissing_a_fallback_film_hides_it_for_good(app, pool, local_user):
    app.run()
    first = int(next(b.key for b in app.button if b.key and b.key.startswith("fallback-hide-")).rsplit("-", 1)[1])
    app.button(key=f"fallback-hide-{first}").click().run()
    assert f"fallback-hide-{first}" not in {b.key for b in app.button}
    assert _rows(pool, "select kind from film_feedback where movie_id = %s", first) == [{"kind": "not_interested"}]
    assert _rows(pool, "select * from recommendations where user_id = %s", local_user) == []  # no fake pick row
    # a dismissed fallback film is not mistaken for a stored pick
    assert any("start with your first ratings" in i.value for i in app.info)


def test_stale_picks_show_with_a_notice_and_enqueue(app, pool, local_user):
    insert_picks(pool, local_user, popular_ids(pool, 12), age=timedelta(days=3))
    app.run()
    assert any("more than a day old" in w.value for w in app.warning)
    assert any("Picks updated 3 days ago" in c.value for c in app.caption)
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["scheduled"]
    assert app.button(key=f"pick-up-{popular_ids(pool, 1)[0]}")


def test_the_pages_own_refresh_of_stale_picks_is_upkeep_not_a_manual_request(app, pool, local_user):
    """#26.2: the automatic request is 'scheduled' and spends nothing of the person's manual limit; their
    Refresh then upgrades the queued job to 'manual' (one job, one charge)."""
    insert_picks(pool, local_user, popular_ids(pool, 12), age=timedelta(days=3))
    app.run()
    charged = "select count(*) as n from manual_refresh_requests where user_id = %s"
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["scheduled"]
    assert _rows(pool, charged, local_user) == [{"n": 0}]
    app.button(key="refresh-picks").click().run()
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["manual"]
    assert _rows(pool, charged, local_user) == [{"n": 1}]


def test_mood_filter_narrows_the_stored_picks(app, pool, local_user):
    with transaction(pool) as conn:
        horror = [r["id"] for r in conn.execute(
            "select id from movies where 'Horror' = any(genres) and not 'Comedy' = any(genres)"
            " and not 'Family' = any(genres) and not 'Animation' = any(genres) and not 'Romance' = any(genres)"
            " and not 'Music' = any(genres) order by popularity desc limit 3").fetchall()]
        dark = MOODS["dark"]
        family = [r["id"] for r in conn.execute(
            "select id from movies where 'Family' = any(genres) and not genres && %s and not keywords && %s"
            " order by popularity desc limit 3", (list(dark.genres), list(dark.keywords))).fetchall()]
    insert_picks(pool, local_user, horror + family)
    app.run()
    app.segmented_control(key="mood").set_value("uplifting").run()
    shown = {int(b.key.rsplit("-", 1)[1]) for b in app.button if b.key and b.key.startswith("pick-up-")}
    assert shown == set(family)
    app.segmented_control(key="mood").set_value("dark").run()
    shown = {int(b.key.rsplit("-", 1)[1]) for b in app.button if b.key and b.key.startswith("pick-up-")}
    assert shown == set(horror)


def test_manual_refresh_button_enqueues(app, pool, local_user):
    insert_picks(pool, local_user, popular_ids(pool, 12))
    app.run()
    app.button(key="refresh-picks").click().run()
    assert [r["trigger_type"] for r in queue_rows(pool, local_user)] == ["manual"]
    assert any("Refresh requested" in s.value for s in app.success)
    assert any("replaces these here as soon as it is ready" in c.value for c in app.caption)  # no "reload"
    insert_picks(pool, local_user, popular_ids(pool, 12, offset=12), age=timedelta(seconds=-5))  # the worker's set
    app.run()
    assert any("Your new picks are in" in s.value for s in app.success)


def _fail_refresh(pool, user_id: str, *, ago: timedelta) -> None:
    with transaction(pool) as conn:
        conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, attempts,"
                     " processed_at, last_error) values (%s, 'scheduled', 'failed', 5, now() - %s, 'boom')",
                     (user_id, ago))


def test_refresh_that_failed_for_good_is_shown_with_try_again_and_not_retried_behind_the_users_back(
        app, pool, local_user):
    films = popular_ids(pool, 12)
    insert_picks(pool, local_user, films, age=timedelta(days=3))
    _fail_refresh(pool, local_user, ago=timedelta(hours=2))
    app.run()
    assert not app.exception
    assert any("Refreshing your picks failed 2 h ago" in e.value and "from 3 days ago" in e.value for e in app.error)
    assert not any("more than a day old" in w.value for w in app.warning)
    assert [r["status"] for r in queue_rows(pool, local_user)] == ["failed"], "no automatic retry"
    assert app.button(key=f"pick-up-{films[0]}"), "the old picks stay visible"
    app.button(key="retry-refresh").click().run()
    assert sorted(r["status"] for r in queue_rows(pool, local_user)) == ["failed", "pending"]
    assert not app.error, "a queued retry hides the notice"


def test_failed_refresh_without_picks_shows_the_fallback_and_the_notice(app, pool, local_user):
    _fail_refresh(pool, local_user, ago=timedelta(minutes=5))
    app.run()
    assert any("Refreshing your picks failed 5 min ago" in e.value for e in app.error)
    assert not any("being prepared" in w.value for w in app.warning)
    assert len([b for b in app.button if b.key and b.key.startswith("fallback-up-")]) == 12


def test_failure_older_than_the_picks_is_not_shown(app, pool, local_user):
    _fail_refresh(pool, local_user, ago=timedelta(days=2))
    insert_picks(pool, local_user, popular_ids(pool, 12))
    app.run()
    assert not app.error


def test_the_refresh_poll_sees_the_queue_and_the_newest_pick(pool, local_user):
    from cine_core.app import actions, dashboard
    from cine_core.db import user_transaction

    with user_transaction(pool, local_user) as conn:
        before = dashboard.poll_refresh(conn, local_user)
    assert (before.picks_generated_at, before.refresh_waiting) == (None, False)
    actions.request_manual_refresh(pool, local_user)
    insert_picks(pool, local_user, popular_ids(pool, 3), age=timedelta(seconds=0))
    with user_transaction(pool, local_user) as conn:
        after = dashboard.poll_refresh(conn, local_user)
    assert after.refresh_waiting and after.picks_generated_at is not None


def test_a_thumbs_up_is_logged_as_what_it_means(pool, local_user, caplog):
    import logging

    from cine_core.app import actions

    caplog.set_level(logging.INFO, logger="cine_core.app.actions")
    actions.give_feedback(pool, local_user, popular_ids(pool, 1)[0], "up")
    (line,) = [r.getMessage() for r in caplog.records if "about film" in r.getMessage()]
    assert "👍 more like this (up)" in line and "gave up" not in line
