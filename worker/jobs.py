"""What the worker does per job and per scouted user, wired from settings.

`--handler module:factory` (or CINE_WORKER_HANDLER) swaps the queue-job handler: the factory is called
as `factory(pool, default)` and returns a `Job -> None` callable. Tests and benchmarks use it to count
or slow down jobs; production never sets it.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.errors import ConfigError
from cine_core.queue import Job

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], None]
UserHandler = Callable[[str], None]


def build_handlers(
    settings: Settings, pool: ConnectionPool, *, handler_spec: str | None = None
) -> tuple[JobHandler, UserHandler]:
    """(refresh_job, scout_user): a queue job is a quick refresh; the schedule runs the full scout.

    The scout context (film store, matchers: heavy imports) is built on first use, so a worker whose
    custom handler never scouts starts in a fraction of the time.
    """
    lock = threading.Lock()
    built: list = []

    def context():
        with lock:
            if not built:
                from cine_core import scout

                built.append((scout, scout.build_scout_context(settings, pool)))
            return built[0]

    def refresh_job(job: Job) -> None:
        scout, ctx = context()
        scout.scout_user(ctx, job.user_id, quick=True)

    def scout_user(user_id: str) -> None:
        scout, ctx = context()
        scout.scout_user(ctx, user_id)

    if handler_spec:
        refresh_job = load_handler(handler_spec)(pool, refresh_job)
    return refresh_job, scout_user


def load_handler(spec: str) -> Callable[[ConnectionPool, JobHandler], JobHandler]:
    """Import `module:factory`."""
    module_name, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"Cannot load the job handler {spec!r}: {exc}") from exc
