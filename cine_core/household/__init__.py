"""Household profiles: several people on one CineAI without Supabase Auth, each a real `auth.users` row with
its own RLS scope. On localhost a profile is chosen by name; when the app listens beyond localhost every
profile needs a password (argon2id), or profiles are refused with the reason."""

from cine_core.household.policy import ProfilePolicy, profile_policy
from cine_core.household.profiles import (
    DEFAULT_NAME,
    Profile,
    ProfileError,
    add_profile,
    check_switch,
    list_profiles,
)

__all__ = ["DEFAULT_NAME", "Profile", "ProfileError", "ProfilePolicy", "add_profile", "check_switch",
           "list_profiles", "profile_policy"]
