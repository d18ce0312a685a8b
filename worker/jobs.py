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
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.domain.errors import ConfigError
from cine_core.jobs.refresh_queue import Job

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], None]
UserHandler = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Handlers:
    refresh_job: JobHandler  # a queue job: quick refresh of one user
    scout_user: UserHandler  # the scheduled full scout of one user
    warm_up: Callable[[], None]  # build the scout context now rather than on the first job
    run_imports: Callable[[str], int] | None = None  # settle queued import jobs (worker id) -> how many


def build_handlers(settings: Settings, pool: ConnectionPool, *, handler_spec: str | None = None) -> Handlers:
    """A queue job is a quick refresh; the schedule runs the full scout.

    The scout context (film store, matchers, feature space: seconds of imports and indexing) is built
    by warm_up() or on first use; a worker with a custom handler that never scouts skips it.
    """
    lock = threading.Lock()
    built: list = []

    def context():
        with lock:
            if not built:
                from cine_core.recommend import pipeline  # lazy: seconds of imports a custom handler never needs

                built.append((pipeline, pipeline.build_scout_context(settings, pool)))
            return built[0]

    def refresh_job(job: Job) -> None:
        pipeline, ctx = context()
        pipeline.scout_user(ctx, job.user_id, quick=True, manual=job.trigger_type == "manual")

    def scout_user(user_id: str) -> None:
        pipeline, ctx = context()
        pipeline.scout_user(ctx, user_id)

    def warm_up() -> None:
        try:
            pipeline, ctx = context()
            pipeline.warm_up(ctx)
        except Exception:  # e.g. TMDB down at start: the first job will try again
            log.warning("Warm-up failed; continuing", exc_info=True)

    def run_imports(worker_id: str) -> int:
        from cine_core.films.source import build_movie_source
        from cine_core.imports.background import run_pending_imports

        return run_pending_imports(pool, worker_id, build_movie_source(settings, pool))

    if handler_spec:
        return Handlers(load_handler(handler_spec)(pool, refresh_job), scout_user, lambda: None, run_imports)
    return Handlers(refresh_job, scout_user, warm_up, run_imports)


def load_handler(spec: str) -> Callable[[ConnectionPool, JobHandler], JobHandler]:
    """Import `module:factory`."""
    module_name, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"Cannot load the job handler {spec!r}: {exc}") from exc
