"""Choose the MovieSource: the TMDB client when a key is configured, else the offline catalog."""

from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.domain.protocols import MovieSource
from cine_core.metering.usage import UsageRecorder

log = logging.getLogger(__name__)


def build_movie_source(settings: Settings, pool: ConnectionPool | None = None) -> MovieSource:
    """TMDBClient (calls counted in api_usage via `pool`) if TMDB_API_KEY / TMDB_READ_ACCESS_TOKEN is set."""
    if settings.tmdb_online:
        from cine_core.films.tmdb.client import TMDBClient

        return TMDBClient(
            api_key=settings.tmdb_api_key.get_secret_value() if settings.tmdb_api_key else None,
            read_access_token=(
                settings.tmdb_read_access_token.get_secret_value() if settings.tmdb_read_access_token else None
            ),
            base_url=settings.tmdb_base_url,
            region=settings.tmdb_region,
            usage=UsageRecorder(pool),
        )
    from cine_core.films.catalog_source import shared_catalog_source

    # The worker builds a source on every import poll (every few seconds): announcing it each time filled the
    # log (636 lines in 53 min). cine_core.config says "using the bundled offline catalog" once per process.
    log.debug("Movie data: offline catalog (no TMDB key)")
    return shared_catalog_source()
