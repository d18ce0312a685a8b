"""Household profiles: real auth.users rows with their own RLS scope; passwords beyond localhost."""

from __future__ import annotations

import pytest

from cine_core.config import LOCAL_USER_ID
from cine_core.db import transaction, user_transaction
from cine_core.household import ProfileError, add_profile, check_switch, list_profiles, profile_policy


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_on_localhost_profiles_need_no_password(address):
    policy = profile_policy(address, supabase_auth=False)
    assert policy.allowed and not policy.needs_password


@pytest.mark.parametrize("address", ["0.0.0.0", None, "192.168.1.5"])
def test_beyond_localhost_profiles_need_a_password_or_are_refused_with_the_reason(address):
    assert profile_policy(address, supabase_auth=False, argon2=True).needs_password
    refused = profile_policy(address, supabase_auth=False, argon2=False)
    assert not refused.allowed and "argon2-cffi is not installed" in refused.reason and "HOST=" in refused.reason


def test_with_supabase_auth_there_are_no_profiles():
    assert not profile_policy("127.0.0.1", supabase_auth=True).allowed


def test_a_profile_is_a_new_user_with_its_own_rows(pool):
    with transaction(pool) as conn:
        sam = add_profile(conn, "  Sam  ", None, needs_password=False)
        assert [(p.name, p.is_first) for p in list_profiles(conn)] == [("Me", True), ("Sam", False)]
        assert conn.execute("select count(*) as n from auth.users where id = %s", (sam.id,)).fetchone()["n"] == 1
    with user_transaction(pool, sam.id) as conn:
        conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, 27205, 4.5)", (sam.id,))
    with user_transaction(pool, LOCAL_USER_ID) as conn:
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 0, "Me never sees Sam's rows"
    with user_transaction(pool, sam.id) as conn:
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 1


def test_names_are_unique_and_never_empty(pool):
    with transaction(pool) as conn:
        add_profile(conn, "Sam", None, needs_password=False)
        for name, why in (("sam", "already a profile"), ("", "Give the profile a name"), ("me", "already a profile"),
                          ("x" * 41, "at most 40")):
            with pytest.raises(ProfileError, match=why):
                add_profile(conn, name, None, needs_password=False)


def test_beyond_localhost_the_password_is_hashed_and_checked(pool):
    with transaction(pool) as conn:
        with pytest.raises(ProfileError, match="at least 8"):
            add_profile(conn, "Ana", "short", needs_password=True)
        ana = add_profile(conn, "Ana", "correct horse", needs_password=True)
        stored = conn.execute("select password_hash from household_profiles where user_id = %s",
                              (ana.id,)).fetchone()["password_hash"]
        assert stored.startswith("$argon2id$") and "correct horse" not in stored
        with pytest.raises(ProfileError, match="Wrong password for Ana"):
            check_switch(conn, ana.id, "wrong", needs_password=True)
        assert check_switch(conn, ana.id, "correct horse", needs_password=True).name == "Ana"
        open_profile = add_profile(conn, "Kid", None, needs_password=False)  # made on localhost earlier
        with pytest.raises(ProfileError, match="has no password"):
            check_switch(conn, open_profile.id, None, needs_password=True)
        assert check_switch(conn, open_profile.id, None, needs_password=False).name == "Kid"
