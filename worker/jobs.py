"""What the worker does per job and per scouted user, wired from settings.

`--handler module:factory` (or CINE_WORKER_HANDLER) swaps the queue-job handler: the factory is called
as `factory(pool, default)` and returns a `Job -> None` callable; `--scout-handler` (CINE_WORKER_SCOUT_HANDLER)
does the same for the scheduled scout of one user (`user_id -> None`). Tests and benchmarks use them to count
or slow down work; production never sets them.

Whichever handler runs, it runs under the user's scoring lock (cine_core.jobs.user_lock), so a scheduled
scout and a queue job for the same person never overlap, in one worker or across several: the scout skips
a user being refreshed; a queue job waits up to JOB_LOCK_WAIT_SECONDS, then asks again in
DEFER_SECONDS (not a failed attempt). `user_lock=False` exists only to show what the lock prevents.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.domain.errors import ConfigError
from cine_core.jobs import refresh_queue, user_lock
from cine_core.jobs.refresh_queue import Job

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], None]
UserHandler = Callable[[str], None]
JOB_LOCK_WAIT_SECONDS = 10.0  # a queue job waits this long for a scout of the same user to finish
DEFER_SECONDS = 5.0  # then asks again this much later


@dataclass(frozen=True, slots=True)
class Handlers:
    refresh_job: JobHandler  # a queue job: quick refresh of one user
    scout_user: UserHandler  # the scheduled full scout of one user
    warm_up: Callable[[], None]  # build the scout context now rather than on the first job
    run_imports: Callable[[str], int] | None = None  # settle queued import jobs (worker id) -> how many


def build_handlers(settings: Settings, pool: ConnectionPool, *, handler_spec: str | None = None,
                   scout_handler_spec: str | None = None, user_lock: bool = True) -> Handlers:
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
        pipeline.scout_user(ctx, job.user_id, quick=True, manual=job.trigger_type == "manual", movie_id=job.movie_id)
        refresh_movie_night(job.user_id)

    def refresh_movie_night(user_id: str) -> None:
        from cine_core.night import refresh_stale_pair

        try:
            refresh_stale_pair(pool, user_id, default_region=settings.default_region)
        except Exception:  # the person's own picks are stored; a movie-night failure must not fail their job
            log.warning("Movie night of user %s not refreshed; the next refresh tries again", user_id, exc_info=True)

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

    job_handler = load_handler(handler_spec)(pool, refresh_job) if handler_spec else refresh_job
    user_handler = load_handler(scout_handler_spec)(pool, scout_user) if scout_handler_spec else scout_user
    if user_lock:
        job_handler, user_handler = locked_job(pool, job_handler), locked_scout(pool, user_handler)
    custom = bool(handler_spec or scout_handler_spec)
    return Handlers(job_handler, user_handler, (lambda: None) if custom else warm_up, run_imports)


def locked_job(pool: ConnectionPool, handler: JobHandler, *, wait_seconds: float = JOB_LOCK_WAIT_SECONDS,
               defer_seconds: float = DEFER_SECONDS) -> JobHandler:
    """`handler` under the user's scoring lock; a user still being scored after `wait_seconds` is asked
    for again in `defer_seconds` (the job itself then completes: it was not a failure)."""

    def run(job: Job) -> None:
        with user_lock.scoring_lock(pool, job.user_id, wait_seconds=wait_seconds) as held:
            if held:
                handler(job)
                return
        log.info("Job %s: user %s is being scored elsewhere; asking again in %.0f s", job.id, job.user_id,
                 defer_seconds)
        with transaction(pool) as conn:
            refresh_queue.defer(conn, job, delay_seconds=defer_seconds)

    return run


def locked_scout(pool: ConnectionPool, handler: UserHandler) -> UserHandler:
    """`handler` under the user's scoring lock; a user being scored elsewhere is skipped (that job
    refreshes them)."""

    def run(user_id: str) -> None:
        with user_lock.scoring_lock(pool, user_id) as held:
            if held:
                handler(user_id)
                return
        log.info("Scout of user %s skipped: a refresh of this user is running", user_id)

    return run


def load_handler(spec: str) -> Callable[[ConnectionPool, JobHandler], JobHandler]:
    """Import `module:factory`."""
    module_name, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"Cannot load the job handler {spec!r}: {exc}") from exc
