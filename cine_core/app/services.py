"""What the pages need that is no page's own concern: the app's pool, a user transaction, imports, search.

`app.py`, `pages/` and `ui/` import only `cine_core.app`, `cine_core.chat`'s face, `cine_core.domain`,
`cine_core.config` and `cine_core.memory` (tests/test_architecture.py), and open no transaction: each concern's
face here opens it. Names passed through rather than defined: the dataclasses the functions here and in
`dashboard` return (ImportReport, ImportStatus, SummaryItem, TasteSummary), for the pages' types.
"""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import open_app_pool as _open_app_pool
from cine_core.db import user_transaction
from cine_core.films.cache import MovieStore
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.films.source import build_movie_source
from cine_core.imports.report import ImportReport
from cine_core.imports.text import check_size
from cine_core.jobs import import_jobs
from cine_core.jobs.import_jobs import ImportStatus
from cine_core.taste.summary import SummaryItem, TasteSummary

log = logging.getLogger(__name__)

__all__ = [
    "ImportReport", "ImportStatus", "SummaryItem", "TasteSummary", "latest_import", "open_app_pool",
    "search_catalog_ids", "search_film_ids", "submit_import",
]


def open_app_pool(settings: Settings, *, max_size: int) -> ConnectionPool:
    """The app's pool: user work logs in as the app role (APP_DATABASE_URL, else `cine_app` on the database of
    DATABASE_URL or the embedded Postgres), which holds `authenticated` only; there is no service connection:
    server-owned writes go through functions granted to that role. docs/roles.md."""
    return _open_app_pool(settings, max_size=max_size)


def submit_import(pool: ConnectionPool, user_id: str, file_name: str, content: bytes) -> int:
    """Queue an uploaded export for the worker (in the user's own transaction); returns the job id.

    Too-large files are refused here with the importer's own message, before anything is stored.
    """
    check_size(len(content), file_name)
    with user_transaction(pool, user_id) as conn:
        return import_jobs.submit(conn, user_id, file_name, content)


def latest_import(pool: ConnectionPool, user_id: str) -> ImportStatus | None:
    """The user's most recent import job: progress while it runs, the report when it is done."""
    with user_transaction(pool, user_id) as conn:
        return import_jobs.latest_for_user(conn, user_id)


def search_catalog_ids(text: str, *, limit: int) -> list[int]:
    """Ids of catalog films whose title or original title matches `text`, accents and small typos forgiven
    ("amelie" finds Amélie); in-process, no network."""
    return [m.id for m in shared_catalog_source().search(text, None, limit=limit)]


def search_film_ids(pool: ConnectionPool, settings: Settings, text: str, *, limit: int) -> list[int]:
    """Ids of films whose title matches `text`, best first (the catalog, or TMDB when configured)."""
    return [m.id for m in MovieStore(pool, build_movie_source(settings, pool)).search(text, limit=limit)]
