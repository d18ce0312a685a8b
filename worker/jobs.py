"""What the worker does per job and per scouted user, wired from settings.

Whichever handler runs, it runs under the user's scoring lock (cine_core.jobs.user_lock), so a scheduled
scout and a queue job for the same person never overlap, in one worker or across several: the scout skips
a user being refreshed; a queue job waits up to JOB_LOCK_WAIT_SECONDS, then asks again in
DEFER_SECONDS (not a failed attempt), and after job_lease.MAX_DEFERRALS such waits fails visibly. A lock
held by a worker whose heartbeat stopped (SIGSTOP) is taken from it, and a job's results are stored only
while its worker still holds the lease (job_lease.assert_lease, in the storing transaction).
`user_lock=False` exists only to show what the lock prevents (tests pass it; the command line cannot).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from psycopg_pool import ConnectionPool

from cine_core.config import Settings
from cine_core.db import transaction
from cine_core.jobs import job_lease, user_lock
from cine_core.jobs.refresh_queue import Job
from cine_core.memory import give_back_free_memory

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
    run_imports: Callable[[str, threading.Event], int] | None = None  # settle import jobs (worker id, stop) -> how many


JobWrapper = Callable[[ConnectionPool, JobHandler], JobHandler]  # tests: (pool, default handler) -> handler
UserWrapper = Callable[[ConnectionPool, UserHandler], UserHandler]


class _Scouting:
    """What the handlers share: the scout context (film store, matchers, feature space: seconds of imports and
    indexing), built once by warm_up() or on first use, under a lock."""

    def __init__(self, settings: Settings, pool: ConnectionPool) -> None:
        self.settings, self.pool = settings, pool
        self._lock = threading.Lock()
        self._built: tuple | None = None

    def context(self) -> tuple:
        with self._lock:
            if self._built is None:
                from cine_core.recommend import pipeline  # lazy: seconds of imports a custom handler never needs

                self._built = (pipeline, pipeline.build_scout_context(self.settings, self.pool))
            return self._built

    def refresh_job(self, job: Job) -> None:
        pipeline, ctx = self.context()
        lease_check = (lambda conn: job_lease.assert_lease(conn, job)) if job.locked_by else None
        try:
            pipeline.scout_user(ctx, job.user_id, quick=True, manual=job.trigger_type == "manual",
                                movie_id=job.movie_id, before_store=lease_check)
            self.refresh_movie_night(job.user_id)
        finally:
            give_back_free_memory()  # the arrays of a long history, freed: RSS stays flat (cine_core.memory)

    def refresh_movie_night(self, user_id: str) -> None:
        from cine_core.night import refresh_stale_pair

        try:
            refresh_stale_pair(self.pool, user_id, default_region=self.settings.default_region)
        except Exception:  # the person's own picks are stored; a movie-night failure must not fail their job
            log.warning("Movie night of user %s not refreshed; the next refresh tries again", user_id, exc_info=True)

    def scout_user(self, user_id: str) -> None:
        pipeline, ctx = self.context()
        try:
            pipeline.scout_user(ctx, user_id)
        finally:
            give_back_free_memory()

    def warm_up(self) -> None:
        try:
            pipeline, ctx = self.context()
            pipeline.warm_up(ctx)
        except Exception:  # e.g. TMDB down at start: the first job will try again
            log.warning("Warm-up failed; continuing", exc_info=True)

    def run_imports(self, worker_id: str, stop: threading.Event) -> int:
        from cine_core.films.source import build_movie_source
        from cine_core.imports.background import run_pending_imports
        from cine_core.jobs import import_jobs

        with transaction(self.pool) as conn:  # the film source costs seconds to build: only for a waiting import
            if not import_jobs.any_claimable(conn):
                return 0
        return run_pending_imports(self.pool, worker_id, build_movie_source(self.settings, self.pool), stop=stop)


def build_handlers(settings: Settings, pool: ConnectionPool, *, worker_id: str | None = None,
                   dead_after_seconds: float | None = None, user_lock: bool = True,
                   wrap_job: JobWrapper | None = None, wrap_scout: UserWrapper | None = None) -> Handlers:
    """A queue job is a quick refresh; the schedule runs the full scout.

    `wrap_job` / `wrap_scout` / `user_lock=False` are for tests, which pass them from a fixture
    (tests/worker/hooked.py); a worker with a wrapped handler skips the warm-up.
    """
    scouting = _Scouting(settings, pool)
    job_handler = wrap_job(pool, scouting.refresh_job) if wrap_job else scouting.refresh_job
    user_handler = wrap_scout(pool, scouting.scout_user) if wrap_scout else scouting.scout_user
    if user_lock:
        job_handler = locked_job(pool, job_handler, dead_after_seconds=dead_after_seconds)
        user_handler = locked_scout(pool, user_handler, worker_id=worker_id)
    custom = bool(wrap_job or wrap_scout)
    return Handlers(job_handler, user_handler, (lambda: None) if custom else scouting.warm_up, scouting.run_imports)


def locked_job(pool: ConnectionPool, handler: JobHandler, *, wait_seconds: float = JOB_LOCK_WAIT_SECONDS,
               defer_seconds: float = DEFER_SECONDS, dead_after_seconds: float | None = None) -> JobHandler:
    """`handler` under the user's scoring lock; a user still being scored after `wait_seconds` is asked
    for again in `defer_seconds` (the job itself then completes: it was not a failure). A lock whose
    holder's worker stopped beating for `dead_after_seconds` is taken over; a job deferred
    job_lease.MAX_DEFERRALS times is failed visibly (job_lease.JobGivenUp, after the commit)."""

    def run(job: Job) -> None:
        with user_lock.scoring_lock(pool, job.user_id, wait_seconds=wait_seconds, worker_id=job.locked_by,
                                    dead_after_seconds=dead_after_seconds) as held:
            if held:
                handler(job)
                return
        log.info("Job %s: user %s is being scored elsewhere; asking again in %.0f s", job.id, job.user_id,
                 defer_seconds)
        given_up: job_lease.JobGivenUp | None = None
        with transaction(pool) as conn:
            try:
                job_lease.defer(conn, job, delay_seconds=defer_seconds)
            except job_lease.JobGivenUp as exc:  # committed: the job is failed visibly
                given_up = exc
        if given_up is not None:
            raise given_up

    return run


def locked_scout(pool: ConnectionPool, handler: UserHandler, *, worker_id: str | None = None) -> UserHandler:
    """`handler` under the user's scoring lock; a user being scored elsewhere is skipped (that job
    refreshes them)."""

    def run(user_id: str) -> None:
        with user_lock.scoring_lock(pool, user_id, worker_id=worker_id) as held:
            if held:
                handler(user_id)
                return
        log.info("Scout of user %s skipped: a refresh of this user is running", user_id)

    return run
