"""The pages' doors into the feature packages: the pool, user transactions, chat, imports, search, profile.

`app.py`, `pages/` and `ui/` import only `cine_core.app`, `cine_core.domain` and `cine_core.config` (an
import-linter contract in pyproject.toml), so everything they need from deeper packages passes here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from psycopg_pool import ConnectionPool

from cine_core.chat.service import ChatResult, learn_from_conversation, learned_line
from cine_core.config import Settings
from cine_core.db import database_url, open_pool, user_transaction
from cine_core.films.cache import MovieStore
from cine_core.films.source import build_movie_source
from cine_core.imports.service import ImportReport, import_file
from cine_core.taste.store import load_profile
from cine_core.taste.summary import SummaryItem, TasteSummary

log = logging.getLogger(__name__)

__all__ = [
    "ChatResult", "ImportReport", "SummaryItem", "TasteSummary", "import_export_file", "learn_from_conversation",
    "learned_line", "load_profile", "open_app_pool", "search_film_ids", "user_transaction",
]


def open_app_pool(settings: Settings, *, max_size: int) -> ConnectionPool:
    """The app's pool: DATABASE_URL, else the embedded Postgres (started if needed)."""
    return open_pool(database_url(settings), min_size=1, max_size=max_size, name="app")


def import_export_file(
    pool: ConnectionPool, settings: Settings, user_id: str, path: Path,
    *, progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import one Letterboxd / IMDb / Trakt export for `user_id` (see imports.service.import_file)."""
    return import_file(pool, path, user_id, source=build_movie_source(settings, pool), progress=progress)


def search_film_ids(pool: ConnectionPool, settings: Settings, text: str, *, limit: int) -> list[int]:
    """Ids of films whose title matches `text`, best first (the catalog, or TMDB when configured)."""
    return [m.id for m in MovieStore(pool, build_movie_source(settings, pool)).search(text, limit=limit)]
