"""Deleting an account removes every row of the person, in every per-user table the catalog knows.

SEEDS holds one row per per-user table for %(user)s (and %(other)s where a row needs two people). A table
that names a person (a foreign key to auth.users, or a column called like user_id/user_ids) without a seed
here fails the first test: decide how its rows go with the person, as the privilege test does for grants.
"""

from __future__ import annotations

import pytest
from psycopg import sql

from cine_core.account import count_account_rows, delete_account, user_tables
from cine_core.account.deletion import ANONYMISED, ID_LISTS
from cine_core.db import transaction

FILM_A, FILM_B = 27205, 157336
SEEDS: dict[str, str] = {
    "ratings": "insert into ratings (user_id, movie_id, rating) values (%(user)s, 27205, 4)",
    "watchlist": "insert into watchlist (user_id, movie_id) values (%(user)s, 157336)",
    "film_feedback": "insert into film_feedback (user_id, movie_id, kind) values (%(user)s, 157336, 'up')",
    "user_settings": "insert into user_settings (user_id, region) values (%(user)s, 'DE')",
    "recommendations": "insert into recommendations (user_id, movie_id, reason, discovery_source, confidence)"
                       " values (%(user)s, 157336, 'because', 'trending', 0.8)",
    "movie_conversations": "insert into movie_conversations (user_id, conversation_type, what_you_said)"
                           " values (%(user)s, 'general_preference', 'hi')",
    "taste_profile": "insert into taste_profile (user_id, preferences) values (%(user)s, '{}')",
    "scout_state": "insert into scout_state (user_id, last_scout_at) values (%(user)s, now())",
    "import_jobs": "insert into import_jobs (user_id, file_name, content) values (%(user)s, 'r.csv', 'a'::bytea)",
    "recommendation_refresh_queue": "insert into recommendation_refresh_queue (user_id, trigger_type, status,"
                                    " processed_at) values (%(user)s, 'manual', 'failed', now())",
    "api_usage": "insert into api_usage (service, operation, user_id) values ('tmdb', 'x', %(user)s)",
    "digest_log": "insert into digest_log (user_id, iso_week) values (%(user)s, '2026-W49')",
    "llm_verdicts": "insert into llm_verdicts (user_id, movie_id, fingerprint, confidence, reason)"
                    " values (%(user)s, 157336, 'f', 0.9, 'because')",
    "llm_batch_requests": "insert into llm_batch_requests (custom_id, user_id, operation)"
                          " values (replace(%(user)s::uuid::text, '-', ''), %(user)s::uuid, 'match_candidates')",
    "llm_batches": "insert into llm_batches (id, operation, custom_ids, user_ids)"
                   " values ('msgbatch_' || %(user)s::uuid, 'match_candidates', '{a}', array[%(user)s::uuid])",
    "movie_night_pairs": "insert into movie_night_pairs (inviter_id, inviter_name, expires_at, invitee_id,"
                         " invitee_name, accepted_at) values (%(user)s, 'A', now() + interval '1 day', %(other)s,"
                         " 'B', now())",
    "movie_night_picks": "insert into movie_night_picks (pair_id, movie_id, rank, confidence)"
                         " select id, 157336, 1, 0.8 from movie_night_pairs where inviter_id = %(user)s",
    "movie_night_code_failures": "insert into movie_night_code_failures (user_id) values (%(user)s)",
    "movie_night_members": "insert into movie_night_members (user_id, pair_id) select %(user)s, id from movie_night_pairs"
                           " where %(user)s in (inviter_id, invitee_id) and ended_at is null limit 1"
                           " on conflict (user_id) do nothing",
    "film_reviews": "insert into film_reviews (user_id, movie_id, body) values (%(user)s, 157336, 'Loved the score')",
    "diary_entries": "insert into diary_entries (user_id, movie_id, watched_on) values (%(user)s, 157336, '2026-01-02')",
    "manual_refresh_requests": "insert into manual_refresh_requests (user_id) values (%(user)s)",
    # Issue 25 tables (seeded once their migrations exist; a seed for a table not in the schema is skipped).
    "household_profiles": "insert into household_profiles (user_id, name) values (%(user)s::uuid, 'P ' || %(user)s::text)",
    "service_arrivals": "insert into service_arrivals (user_id, movie_id, region, services)"
                        " values (%(user)s, 157336, 'US', '{Netflix}')",
}


def _public_tables(conn) -> set[str]:
    rows = conn.execute("select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        " where n.nspname = 'public' and c.relkind in ('r', 'p')").fetchall()
    return {r["name"] for r in rows}


def _tables_naming_a_person(conn) -> set[str]:
    """Tables with a foreign key to auth.users, hanging off such a table, or with a user-id-like column."""
    found = {t.name for t in user_tables(conn)}
    rows = conn.execute("""
        select c.relname::text as name from pg_attribute a join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
           and a.atttypid in ('uuid'::regtype, 'uuid[]'::regtype)
           and (a.attname like '%%user_id%%' or a.attname like '%%user_ids%%'
                or a.attname in ('inviter_id', 'invitee_id'))""").fetchall()
    return found | {r["name"] for r in rows}


@pytest.fixture
def seeded(pool, make_user):
    a, b = make_user("a@example.com"), make_user("b@example.com")
    friend_of_a, friend_of_b = make_user("fa@example.com"), make_user("fb@example.com")  # one movie night each
    with transaction(pool) as conn:
        present = _public_tables(conn)
        for user, other in ((a, friend_of_a), (b, friend_of_b)):
            for table, seed in SEEDS.items():
                if table in present:
                    conn.execute(seed, {"user": user, "other": other})
    return a, b


def test_every_table_naming_a_person_has_a_seed_here(pool):
    with transaction(pool) as conn:
        missing = sorted(_tables_naming_a_person(conn) - set(SEEDS))
    assert missing == [], "a per-user table without a deletion seed: add one to SEEDS (and a rule if it must not cascade)"


def test_every_per_user_foreign_key_cascades_unless_its_table_is_anonymised(pool):
    with transaction(pool) as conn:
        tables = user_tables(conn)
    assert tables, "the catalog lists the per-user tables"
    for table in tables:
        expected = "set null" if table.name in ANONYMISED else "cascade"
        assert set(table.on_delete) == {expected}, (table.name, table.on_delete)


def _rows_of(conn, user: str) -> dict[str, int]:
    counts = {}
    for table in user_tables(conn):
        if table.parent is None:
            where = sql.SQL(" or ").join(sql.SQL("{} = %(u)s").format(sql.Identifier(c)) for c in table.columns)
            query = sql.SQL("select count(*) as n from {} where {}").format(sql.Identifier(table.name), where)
        else:
            query = sql.SQL("select count(*) as n from {} x join movie_night_pairs p on p.id = x.pair_id"
                            " where %(u)s in (p.inviter_id, p.invitee_id)").format(sql.Identifier(table.name))
        counts[table.name] = conn.execute(query, {"u": user}).fetchone()["n"]
    for table, column in ID_LISTS.items():
        counts[table] = conn.execute(sql.SQL("select count(*) as n from {} where %(u)s = any({})").format(
            sql.Identifier(table), sql.Identifier(column)), {"u": user}).fetchone()["n"]
    return counts


def test_the_preview_counts_what_the_deletion_then_removes(pool, seeded):
    a, b = seeded
    with transaction(pool) as conn:
        preview = count_account_rows(conn, a)
        before_b = _rows_of(conn, b)
    shown = {t.table: t.rows for t in preview.tables}
    assert shown["ratings"] == 1 and shown["movie_night_pairs"] == 1 and shown["movie_night_picks"] == 1
    assert shown["api_usage"] == 1 and preview.tables[[t.table for t in preview.tables].index("api_usage")].kept
    with transaction(pool) as conn:
        removed = delete_account(conn, a)
    assert removed == preview
    with transaction(pool) as conn:
        left = _rows_of(conn, a)
        after_b = _rows_of(conn, b)
        usage = conn.execute("select count(*) as n from api_usage where user_id is null").fetchone()["n"]
        gone = conn.execute("select count(*) as n from auth.users where id = %s", (a,)).fetchone()["n"]
    assert {t: n for t, n in left.items() if n} == {}, "every row of A is gone"
    assert gone == 0 and usage == 1, "A's usage row stays, without A's id"
    assert after_b == before_b, "B keeps every row"


def test_nothing_is_removed_for_a_person_with_no_rows(pool, make_user):
    lonely = make_user("nobody@example.com")
    with transaction(pool) as conn:
        assert count_account_rows(conn, lonely).tables == ()
        assert delete_account(conn, lonely).deleted == 0
