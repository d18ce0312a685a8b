"""The setup commands: migrate, load the offline catalog, ensure the local user, import files."""

from __future__ import annotations

import logging

from cine_core.config import LOCAL_USER_ID, Settings
from cine_core.db import database_url, ensure_local_user, migrate, open_pool, service_transaction

log = logging.getLogger(__name__)


def run_migrate(settings: Settings) -> list[str]:
    return migrate(database_url(settings))


def run_setup(settings: Settings) -> str:
    """migrate + catalog + local user; safe to run any number of times."""
    from cine_core.films.catalog_loader import load_catalog_into_db

    url = database_url(settings)
    applied = migrate(url)
    pool = open_pool(url, max_size=2, name="setup")
    try:
        loaded = load_catalog_into_db(pool)
        if not settings.supabase_auth:
            with service_transaction(pool) as conn:
                ensure_local_user(conn)
    finally:
        pool.close()
    return f"Setup done: {len(applied)} migration(s) applied, {loaded} catalog films loaded"


def run_import(settings: Settings, path: str, user_id: str | None) -> str:
    from cine_core.films.source import build_movie_source
    from cine_core.imports.service import import_file

    pool = open_pool(database_url(settings), max_size=2, name="import")
    try:
        report = import_file(pool, path, user_id or LOCAL_USER_ID, source=build_movie_source(settings, pool))
    finally:
        pool.close()
    return report.summary()
