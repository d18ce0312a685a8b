"""The app's login role: user work as `cine_app` (a member of `authenticated`, never of `service_role`).

APP_DATABASE_URL is how the app logs in; unset, the app logs in as `cine_app` on the database of
DATABASE_URL (or the embedded server) without a password, which works where local connections are trusted
(the embedded pgserver, the test server). A hosted Supabase project sets APP_DATABASE_URL with the password
it gave `cine_app` (docs/roles.md). The worker and `setup` keep DATABASE_URL, the service connection; the
app opens none.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db.embedded import database_url
from cine_core.db.pool import open_pool, translate_errors
from cine_core.domain.errors import ConfigError, DatabaseUnavailable

log = logging.getLogger(__name__)

APP_ROLE = "cine_app"  # created by migration 20261130110000_app_role
_ROLE_CHECK = """
select current_user as role,
       r.rolsuper or r.rolbypassrls as bypasses_rls,
       case when exists (select 1 from pg_roles where rolname = 'service_role')
            then pg_has_role(current_user, 'service_role', 'member') else false end as service_member,
       case when exists (select 1 from pg_roles where rolname = 'authenticated')
            then pg_has_role(current_user, 'authenticated', 'member') else false end as user_member
from pg_roles r where r.rolname = current_user
"""


def app_database_url(settings: Settings) -> str:
    """APP_DATABASE_URL, else the service database's URL with user `cine_app` and no password."""
    if settings.app_database_url:
        return settings.app_database_url.get_secret_value()
    info = psycopg.conninfo.conninfo_to_dict(database_url(settings))
    info.pop("password", None)
    # Supabase's pooler names users `<role>.<project ref>`: keep the project reference.
    _, dot, project = str(info.get("user") or "").partition(".")
    info["user"] = f"{APP_ROLE}.{project}" if dot else APP_ROLE
    return psycopg.conninfo.make_conninfo(**info)


def open_app_pool(settings: Settings, *, max_size: int) -> ConnectionPool:
    """The app's pool: every connection logs in as the app role; the app opens no service connection at all.

    Raises DatabaseUnavailable when the app role cannot log in and ConfigError when the URL logs in as a
    role that holds service rights (a member of service_role, a superuser or a role that bypasses RLS)."""
    url = app_database_url(settings)
    try:
        pool = open_pool(url, min_size=1, max_size=max_size, name="app", app=True)
    except DatabaseUnavailable as exc:
        raise DatabaseUnavailable(
            f"The app cannot log in as its own role: {exc}. Run `python -m cine_core setup`, or set "
            "APP_DATABASE_URL to the app role's login (docs/roles.md)") from exc
    try:
        check_app_role(pool)
    except Exception:
        pool.close()
        raise
    return pool


def check_app_role(pool: ConnectionPool) -> str:
    """The app pool's role name; ConfigError if it could act with service rights or cannot act as a user."""
    with translate_errors(), pool.connection() as conn:
        row = conn.execute(_ROLE_CHECK).fetchone()
        conn.rollback()
    if row["bypasses_rls"] or row["service_member"]:
        raise ConfigError(
            f"The app logs in as {row['role']!r}, which holds service rights (service_role, superuser or "
            f"BYPASSRLS); log it in as the {APP_ROLE} role instead (APP_DATABASE_URL, docs/roles.md)")
    if not row["user_member"]:
        raise ConfigError(f"The app's role {row['role']!r} is not a member of authenticated, so it cannot act "
                          f"for a signed-in user: run `grant authenticated to {row['role']};` (docs/roles.md)")
    log.info("The app's user work runs as role %s", row["role"])
    return row["role"]
