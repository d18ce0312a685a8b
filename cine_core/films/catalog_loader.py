"""Copying the bundled catalog into the `movies` table (setup and benchmarks)."""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.films.catalog import catalog_movies
from cine_core.films.rows import upsert_movies

log = logging.getLogger(__name__)


def load_catalog_into_db(pool: ConnectionPool) -> int:
    """Upsert the whole catalog into `movies` with source 'catalog'; idempotent, keeps 'tmdb' rows."""
    films = catalog_movies()
    with transaction(pool) as conn:
        upsert_movies(conn, films)
    log.info("Catalog: %d films loaded into movies", len(films))
    return len(films)
