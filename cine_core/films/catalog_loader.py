"""Copying the bundled catalog into the `movies` table (setup and benchmarks), once per catalog file.

`setup` on an existing database upgrades in place: new films are added, changed fields updated, live TMDB
rows and all user data left alone; `catalog_versions` records which file is loaded, so running setup
again with the same file costs one query.
"""

from __future__ import annotations

import logging
from pathlib import Path

from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.films.catalog import CATALOG_FILE, catalog_movies, catalog_version, read_catalog
from cine_core.films.rows import upsert_movies

log = logging.getLogger(__name__)


def load_catalog_into_db(pool: ConnectionPool, *, path: Path = CATALOG_FILE, force: bool = False) -> int:
    """Upsert the catalog at `path` into `movies` unless this version is already loaded; returns its film count."""
    version = catalog_version(path)
    with transaction(pool) as conn:
        row = conn.execute("select films from public.catalog_versions where version = %s", (version,)).fetchone()
        if row is not None and not force:
            log.info("Catalog %s (%d films) is already loaded", version, row["films"])
            return int(row["films"])
        films = catalog_movies() if path == CATALOG_FILE else read_catalog(path)
        upsert_movies(conn, films)
        conn.execute(
            "insert into public.catalog_versions (version, films) values (%s, %s)"
            " on conflict (version) do update set films = excluded.films, loaded_at = now()",
            (version, len(films)),
        )
    log.info("Catalog %s: %d films loaded into movies", version, len(films))
    return len(films)
