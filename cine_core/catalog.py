"""The bundled offline catalog: ~13k TMDB-derived films in cine_core/data/catalog.jsonl.gz.

Rebuild the file with `python scripts/build_catalog.py`. `CatalogSource` (catalog_source.py) serves it
through the MovieSource interface when there is no TMDB key.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.models import Movie
from cine_core.movie_rows import upsert_movies

log = logging.getLogger(__name__)

CATALOG_FILE = Path(__file__).resolve().parent / "data" / "catalog.jsonl.gz"


def iter_catalog_movies() -> Iterator[Movie]:
    """Every film in the bundled catalog (loaded once per process)."""
    return iter(catalog_movies())


@functools.cache
def catalog_movies() -> tuple[Movie, ...]:
    """The bundled catalog as a tuple, sorted by id; read from disk on first use."""
    with gzip.open(CATALOG_FILE, "rt", encoding="utf-8") as fh:
        films = tuple(_record_to_movie(json.loads(line)) for line in fh if line.strip())
    log.debug("Loaded %d catalog films from %s", len(films), CATALOG_FILE)
    return films


def load_catalog_into_db(pool: ConnectionPool) -> int:
    """Upsert the whole catalog into `movies` with source 'catalog'; idempotent, keeps 'tmdb' rows."""
    films = catalog_movies()
    with transaction(pool) as conn:
        upsert_movies(conn, films)
    log.info("Catalog: %d films loaded into movies", len(films))
    return len(films)


def _record_to_movie(record: dict) -> Movie:
    release = record.get("release_date")
    return Movie(
        id=int(record["id"]),
        title=record["title"],
        year=record.get("year"),
        release_date=date.fromisoformat(release) if release else None,
        overview=record.get("overview", ""),
        genres=tuple(record.get("genres", ())),
        keywords=tuple(record.get("keywords", ())),
        directors=tuple(record.get("directors", ())),
        cast=tuple(record.get("cast", ())),
        runtime=record.get("runtime"),
        original_language=record.get("original_language"),
        popularity=float(record.get("popularity", 0.0)),
        vote_average=record.get("vote_average"),
        vote_count=int(record.get("vote_count", 0)),
        poster_path=record.get("poster_path"),
        imdb_id=record.get("imdb_id"),
        source="catalog",
    )


def __getattr__(name: str):
    # CatalogSource lives in its own module (size); keep `from cine_core.catalog import CatalogSource` working.
    if name == "CatalogSource":
        from cine_core.catalog_source import CatalogSource

        return CatalogSource
    raise AttributeError(name)
