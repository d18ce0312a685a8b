"""Service rights in the app process: there are none. The app's own login (cine_app) records usage, checks the
Claude caps, reads the operator's figures, learns from chat, caches films and computes movie night's joint picks
through functions granted to it; its pool holds no service login (service_transaction on it raises), and no
module of the app's says service_transaction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from psycopg.types.json import Jsonb

from cine_core.config import PROJECT_ROOT, Settings
from cine_core.db import open_app_pool, transaction
from cine_core.domain.errors import DataError
from cine_core.domain.insights import ChatInsights
from cine_core.llm.budget import ClaudeCaps
from cine_core.metering.usage import UsageEvent, UsageRecorder
from cine_core.taste.store import load_profile, refresh_profile, relearn

SERVICE_CALL = re.compile(r"(?<![\w.])(?:db\.)?(?:service_)?transaction\(")
APP_PROCESS = ["app.py", "pages", "ui", "cine_core/app", "cine_core/chat", "cine_core/metering", "cine_core/llm",
               "cine_core/films/cache.py", "cine_core/films/cache_functions.py"]
# Service rights in the app's own modules (issue 26.3): none is left (#24.9: the film cache and movie night's joint
# picks were the last, now behind film_cache_* / cache_films / night_pair_inputs / store_night_picks). A module
# that adds one fails this test (and would fail at run time: the app's pool has no service login).
REMAINING: dict[str, int] = {}


@pytest.fixture
def app_pool_without_service(db_url):
    """The app's pool: it has no service login, so anything still needing service rights fails."""
    pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=2)
    yield pool
    pool.close()


def _service_calls() -> dict[str, int]:
    found: dict[str, int] = {}
    for root in APP_PROCESS:
        path = PROJECT_ROOT / root
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            calls = len(SERVICE_CALL.findall(file.read_text()))
            if calls:
                found[str(Path(file).relative_to(PROJECT_ROOT))] = calls
    return found


def test_no_app_module_opens_more_service_transactions_than_listed():
    found = _service_calls()
    grown = {name: n for name, n in found.items() if n > REMAINING.get(name, 0)}
    assert grown == {}, "service rights in the app: use a security-definer function granted to cine_app instead"
    paid = {name: n for name, n in REMAINING.items() if found.get(name, 0) < n}
    assert paid == {}, "debt paid: lower its entry in REMAINING"
    assert "cine_core/metering/usage.py" not in found and "cine_core/llm/budget.py" not in found
    assert not {"cine_core/app/settings.py", "cine_core/app/status.py", "cine_core/app/household.py",
                "cine_core/app/account.py"} & set(found)


def test_usage_is_recorded_by_the_app_login_without_a_service_pool(app_pool_without_service, pool, local_user):
    UsageRecorder(app_pool_without_service).record(UsageEvent(
        service="anthropic", operation="chat_reply", model="m", user_id=local_user, tokens_in=10, tokens_out=2,
        estimated_cost_usd=0.25, ok=False, error="x" * 900))
    with transaction(pool) as conn:
        row = conn.execute("select user_id::text as user_id, operation, estimated_cost_usd::float8 as usd, ok,"
                           " length(error) as error_chars from api_usage").fetchone()
    assert row == {"user_id": local_user, "operation": "chat_reply", "usd": 0.25, "ok": False, "error_chars": 500}


def test_the_claude_caps_are_counted_by_the_app_login_without_a_service_pool(app_pool_without_service, pool,
                                                                             local_user):
    with transaction(pool) as conn:
        conn.execute("insert into api_usage (service, operation, user_id, estimated_cost_usd)"
                     " values ('anthropic', 'chat_reply', %s, 2.0)", (local_user,))
    settings = Settings(_env_file=None, cine_llm_daily_budget_usd=1.0)
    assert not ClaudeCaps(settings, app_pool_without_service).check(user_id=local_user, operation="chat_reply").allowed
    capped = Settings(_env_file=None, cine_llm_user_daily_calls=2)
    assert ClaudeCaps(capped, app_pool_without_service).check(user_id=local_user, operation="chat_reply").allowed


def test_the_app_login_may_call_only_its_own_functions(app_pool_without_service):
    import psycopg

    for statement in ("select public.record_api_usage('anthropic', 'x', null, null, 0, 0, 0, 0, 0, true, null)",
                      "select * from public.claude_spend_today(null)", "select * from public.app_status(60)",
                      "select * from public.app_api_usage()", "select * from public.app_failed_jobs(5)",
                      "select public.app_retry_failed_jobs()", "select public.unsubscribe_weekly_digest(null)",
                      "select * from public.household_profile_list(null, 'Me')",
                      "select * from public.account_table_rows(null)",
                      "select * from public.rewrite_chat_turn(null, null, 'general_preference', null)",
                      "select * from public.film_cache_list('search:tmdb:x')", "select public.night_pair_inputs(1)"):
        with app_pool_without_service.connection() as conn:
            conn.execute(statement).fetchall()
            conn.rollback()
    with app_pool_without_service.connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select * from public.enqueue_refresh(null, 'manual', null, null)")


def test_the_unsubscribe_link_needs_no_service_pool(app_pool_without_service, pool, local_user):
    from pydantic import SecretStr

    from cine_core.app.settings import unsubscribe
    from cine_core.digest.tokens import make_unsubscribe_token

    with transaction(pool) as conn:
        conn.execute("insert into user_settings (user_id, weekly_digest) values (%s, true)"
                     " on conflict (user_id) do update set weekly_digest = true", (local_user,))
    settings = Settings(_env_file=None, cine_secret_key=SecretStr("s" * 32))
    token = make_unsubscribe_token(local_user, "s" * 32)
    assert unsubscribe(app_pool_without_service, token, settings) is True
    assert unsubscribe(app_pool_without_service, token, settings) is False  # already off
    with transaction(pool) as conn:
        assert conn.execute("select weekly_digest from user_settings where user_id = %s",
                            (local_user,)).fetchone()["weekly_digest"] is False


def test_the_operator_lists_and_retries_failed_jobs_without_a_service_pool(app_pool_without_service, pool,
                                                                         local_user, make_user):
    from cine_core.app.auth import AppUser
    from cine_core.app.status import load_status, retry_failed_jobs

    other = make_user("failed@example.com")
    with transaction(pool) as conn:
        for user in (local_user, other, other):
            conn.execute("insert into recommendation_refresh_queue (user_id, trigger_type, status, last_error,"
                         " processed_at) values (%s, 'manual', 'failed', 'boom', now())", (user,))
    operator = AppUser(local_user, "local@localhost", is_local=True)
    settings = Settings(_env_file=None)
    view = load_status(app_pool_without_service, settings, operator)
    assert len(view.failed_jobs) == 3 and {j.last_error for j in view.failed_jobs} == {"boom"}
    assert retry_failed_jobs(app_pool_without_service, settings, operator) == 2  # one per person
    with transaction(pool) as conn:
        pending = conn.execute("select count(*) as n from recommendation_refresh_queue where status = 'pending'"
                               ).fetchone()["n"]
    assert pending == 2


def test_household_profiles_are_listed_added_and_switched_without_a_service_pool(app_pool_without_service, pool):
    from cine_core.app.household import create_profile, profiles, switch_profile
    from cine_core.household import ProfilePolicy

    policy = ProfilePolicy(allowed=True, needs_password=True, reason="")
    ana = create_profile(app_pool_without_service, policy, "Ana", "correct horse")
    assert [p.name for p in profiles(app_pool_without_service)] == ["Me", "Ana"]
    assert switch_profile(app_pool_without_service, policy, ana.id, "correct horse").id == ana.id
    with transaction(pool) as conn:
        row = conn.execute("select name, password_hash like '$argon2id$%%' as hashed from household_profiles"
                           " where user_id = %s", (ana.id,)).fetchone()
    assert row == {"name": "Ana", "hashed": True}


def test_an_account_is_previewed_and_deleted_without_a_service_pool(app_pool_without_service, pool, make_user,
                                                                   local_user):
    from cine_core.app.account import delete_my_account, deletion_preview

    gone = make_user("gone@example.com")
    with transaction(pool) as conn:
        for user in (gone, local_user):
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 603, 4.5)", (user,))
    preview = deletion_preview(app_pool_without_service, gone)
    assert {t.table: t.rows for t in preview.tables}["ratings"] == 1  # and the refresh the rating queued
    assert delete_my_account(app_pool_without_service, gone) == preview
    assert delete_my_account(app_pool_without_service, local_user).deleted >= 1
    with transaction(pool) as conn:
        users = {r["id"] for r in conn.execute("select id::text as id from auth.users").fetchall()}
        ratings = conn.execute("select count(*) as n from ratings").fetchone()["n"]
    assert gone not in users and local_user in users and ratings == 0  # the personal-mode user comes back empty


def _chat(**learned) -> ChatInsights:
    return ChatInsights(conversation_type="general_preference", significance=0.6, summary="likes", **learned)


def test_a_learned_preference_is_removed_without_a_service_pool(app_pool_without_service, pool, local_user):
    from cine_core.app.actions import remove_taste_item

    with transaction(pool) as conn:
        conn.execute("insert into movie_conversations (user_id, conversation_type, what_you_said, ai_learned)"
                     " values (%s, 'general_preference', 'I love horror and westerns', %s)",
                     (local_user, Jsonb(_chat(genres_liked=["horror", "western"]).model_dump(mode="json"))))
        before = refresh_profile(conn, local_user)
        conn.execute("delete from recommendation_refresh_queue")
    assert {"horror", "western"} <= set(before.genres)
    assert remove_taste_item(app_pool_without_service, local_user, " Genre:Horror ") is True  # a refresh queued
    with transaction(pool) as conn:
        after = load_profile(conn, local_user)
        again = refresh_profile(conn, local_user)
    assert "horror" not in after.genres and "western" in after.genres and "genre:horror" in after.removed
    assert after.version == before.version + 1 and again.version == after.version  # the rebuild agrees


def test_chat_turns_are_stored_rewritten_and_learned_without_a_service_pool(app_pool_without_service, pool,
                                                                           local_user, make_user):
    from cine_core.chat import turns

    learned = _chat(genres_liked=["western"])
    turn = turns.save_turn(app_pool_without_service, local_user, "I love westerns", learned)
    assert relearn(app_pool_without_service, local_user, extra=learned).genres["western"] > 0
    with transaction(pool) as conn:
        stored = conn.execute("select id::text as id, what_you_said, ai_learned, created_at from movie_conversations"
                              ).fetchall()
    assert [(r["id"], r["what_you_said"], r["ai_learned"]["genres_liked"]) for r in stored] == [
        (turn.id, "I love westerns", ["western"])]
    undone = turns.save_turn(app_pool_without_service, local_user, "ignored", _chat(), rewrite=turn)
    assert (undone.text, undone.created_at) == ("I love westerns", turn.created_at) and undone.id != turn.id
    profile = relearn(app_pool_without_service, local_user)
    assert "western" not in profile.genres
    with transaction(pool) as conn:
        rows = conn.execute("select id::text as id, what_you_said, created_at from movie_conversations").fetchall()
        assert load_profile(conn, local_user).version == profile.version == 2
    assert rows == [{"id": undone.id, "what_you_said": "I love westerns", "created_at": turn.created_at}]
    with pytest.raises(DataError):  # someone else's turn (or one already gone) is not rewritten
        turns.save_turn(app_pool_without_service, make_user("other@example.com"), "x", learned, rewrite=undone)
