"""The worker loop: drain the refresh queue, run the scout for due users, wait for the next wake-up.

Shape taken from procrastinate: wait on the first of a NOTIFY, the polling interval and a stop
request; a stop request only sets a flag, so the job in hand finishes. Every job is guarded: one that
raises is logged with its traceback, recorded on its queue row, and the loop carries on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import schedule
from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.errors import CineError
from cine_core.jobs import refresh_queue
from cine_core.jobs.heartbeat import BEAT_SECONDS, Heartbeat
from cine_core.jobs.refresh_queue import Job
from cine_core.recommend import scout_state
from worker.pulse import Pulse
from worker.wakeup import Wakeup

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # safety net when a NOTIFY is missed (or LISTEN is off)
SCOUT_CHECK_SECONDS = 300.0  # how often to look for users whose scout is due
MIN_WAIT_SECONDS = 0.05  # never spin, even if the queue says a job is due now
SCOUT_BATCH_PER_LANE = 2  # users claimed per scout batch, per concurrent lane

JobHandler = Callable[[Job], None]
UserHandler = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """Timing knobs; tests and benchmarks shorten them."""

    poll_seconds: float = POLL_SECONDS
    lease_seconds: float = refresh_queue.DEFAULT_LEASE_SECONDS
    backoff_seconds: float = refresh_queue.BACKOFF_BASE_SECONDS
    concurrency: int = 1
    listen: bool = True
    scout_interval_hours: float = 2.0
    scout_check_seconds: float = SCOUT_CHECK_SECONDS
    scout_enabled: bool = True  # off: drain the queue only (e.g. a dedicated refresh worker)
    beat_seconds: float = BEAT_SECONDS  # heartbeat and lease extension, from a side thread
    dead_after_seconds: float = refresh_queue.DEAD_AFTER_SECONDS  # other workers' jobs are released after
    max_interruptions: int = refresh_queue.MAX_INTERRUPTIONS  # worker deaths before a job is given up


@dataclass(slots=True)
class PassReport:
    """What one pass (or the life of a loop) did."""

    jobs_done: int = 0
    jobs_failed: int = 0
    users_scouted: int = 0
    scouts_failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


class Worker:
    """One worker process. `refresh_job` handles queue jobs; `scout_user` runs the scheduled scout."""

    def __init__(
        self,
        pool: ConnectionPool,
        db_url: str,
        *,
        refresh_job: JobHandler,
        scout_user: UserHandler,
        run_imports: Callable[[str], int] | None = None,
        options: WorkerOptions = WorkerOptions(),
        heartbeat: Heartbeat | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.pool = pool
        self.db_url = db_url
        self.options = options
        self.refresh_job = refresh_job
        self.scout_user = scout_user
        self.run_imports = run_imports
        self.heartbeat = heartbeat or Heartbeat(pool, beat_seconds=options.beat_seconds)
        self.pulse = Pulse(pool, self.heartbeat, beat_seconds=options.beat_seconds,
                           lease_seconds=options.lease_seconds)
        self.stop = stop or threading.Event()
        self.report = PassReport()
        self._scout_thread: threading.Thread | None = None

    @property
    def worker_id(self) -> str:
        return self.heartbeat.worker_id

    # --- queue -------------------------------------------------------------------------------

    def drain(self) -> int:
        """Settle queued imports, then process refresh jobs until none is claimable (or stop)."""
        if self.run_imports is not None:
            try:
                self.run_imports(self.worker_id)  # an import enqueues the refresh this drain then runs
            except Exception:  # each job settles itself; this guards the claim, e.g. a database hiccup
                log.exception("Running import jobs failed; retrying on the next pass")
        lanes = max(1, self.options.concurrency)
        if lanes == 1:
            return self._drain_lane()
        with ThreadPoolExecutor(lanes, thread_name_prefix="job") as lanes_pool:
            return sum(lanes_pool.map(lambda _: self._drain_lane(), range(lanes)))

    def _drain_lane(self) -> int:
        processed = 0
        while not self.stop.is_set():
            try:
                with transaction(self.pool) as conn:
                    job = refresh_queue.claim_next(
                        conn, self.worker_id, lease_seconds=self.options.lease_seconds,
                        dead_after_seconds=self.options.dead_after_seconds,
                        max_interruptions=self.options.max_interruptions)
            except CineError as exc:
                log.warning("Could not claim a job (will retry): %s", exc)
                return processed
            if job is None:
                return processed
            self.run_job(job)
            processed += 1
        return processed

    def run_job(self, job: Job) -> bool:
        """Run one claimed job and settle its queue row; True on success. Never raises."""
        log.debug("Job %s claimed: user %s, %s, attempt %d", job.id, job.user_id, job.trigger_type, job.attempts)
        try:
            with self.pulse.holding(job):  # heartbeat and lease keep moving however long the job takes
                self.refresh_job(job)
        except Exception as exc:  # a job must never take the loop down
            log.exception("Job %s (user %s, %s) failed", job.id, job.user_id, job.trigger_type)
            self._settle(job, error=f"{type(exc).__name__}: {exc}")
            self.report.add(jobs_failed=1)
            self.heartbeat.job_finished(ok=False)
            return False
        self._settle(job, error=None)
        self.report.add(jobs_done=1)
        self.heartbeat.job_finished(ok=True)
        log.info("Job %s done: user %s, %s", job.id, job.user_id, job.trigger_type)
        return True

    def _settle(self, job: Job, *, error: str | None) -> None:
        try:
            with transaction(self.pool) as conn:
                if error is None:
                    refresh_queue.complete(conn, job, self.worker_id)
                else:
                    refresh_queue.fail(conn, job, self.worker_id, error, backoff_base=self.options.backoff_seconds)
        except CineError:  # the lease will expire and another attempt will settle it
            log.exception("Could not record the outcome of job %s", job.id)

    # --- scout -------------------------------------------------------------------------------

    def scout_pass(self, *, all_users: bool = False) -> int:
        """Scout every due user (with all_users, every active user once); returns users scouted."""
        try:
            with transaction(self.pool) as conn:
                max_age = 0.0 if all_users else self.options.scout_interval_hours * 3600
                due_before = scout_state.start_pass(conn, seconds_ago=max_age)
        except CineError as exc:
            log.warning("Scout pass skipped: %s", exc)
            return 0
        lanes = max(1, self.options.concurrency)
        scouted = 0
        with ThreadPoolExecutor(lanes, thread_name_prefix="scout") as lanes_pool:
            while not self.stop.is_set():
                try:
                    with transaction(self.pool) as conn:
                        users = scout_state.claim_due_users(
                            conn, due_before=due_before, limit=lanes * SCOUT_BATCH_PER_LANE)
                except CineError as exc:
                    log.warning("Could not claim users to scout: %s", exc)
                    break
                if not users:
                    break
                scouted += sum(lanes_pool.map(self._scout_one, users))
        if scouted:
            self.heartbeat.scouted()
            log.info("Scout pass done: %d user(s)", scouted)
        return scouted

    def _scout_one(self, user_id: str) -> int:
        if self.stop.is_set():
            return 0
        try:
            self.scout_user(user_id)
        except Exception:
            log.exception("Scout of user %s failed", user_id)
            self.report.add(scouts_failed=1)
            return 0
        self.report.add(users_scouted=1)
        return 1

    def _start_scout_lane(self) -> None:
        """Scheduled job: run a scout pass in the background so the queue stays responsive."""
        if self._scout_thread is not None and self._scout_thread.is_alive():
            return
        self._scout_thread = threading.Thread(target=self.scout_pass, name="scout-pass", daemon=True)
        self._scout_thread.start()

    # --- entry points ------------------------------------------------------------------------

    def run_once(self, *, all_users: bool = False) -> PassReport:
        """One full pass: drain the queue, scout due users (or all), drain what arrived meanwhile."""
        self.heartbeat.start()
        self.pulse.start()
        try:
            self.drain()
            if self.options.scout_enabled:
                self.scout_pass(all_users=all_users)
                self.drain()
        finally:
            self.pulse.stop()
        self.heartbeat.beat(force=True)
        return self.report

    def run_forever(self) -> PassReport:
        """Loop until stop is set. The LISTEN connection is up before the heartbeat row appears."""
        wakeup = Wakeup(self.db_url, listen=self.options.listen)
        scheduler = schedule.Scheduler()
        if self.options.scout_enabled:
            scheduler.every(max(1, round(self.options.scout_check_seconds))).seconds.do(self._guarded_scout)
        self.heartbeat.start()
        self.pulse.start()
        log.info("Worker %s started (listen=%s, poll=%.1fs, concurrency=%d)", self.worker_id,
                 wakeup.listening, self.options.poll_seconds, self.options.concurrency)
        if self.options.scout_enabled:
            self._start_scout_lane()
        try:
            while not self.stop.is_set():
                try:
                    self.drain()
                    self.heartbeat.beat()
                    self._guarded(scheduler.run_pending)
                    timeout = self._next_wait(scheduler)
                except Exception:  # e.g. the database restarting: log, back off, carry on
                    log.exception("Worker loop iteration failed; retrying after the poll interval")
                    timeout = self.options.poll_seconds
                wakeup.wait(timeout, self.stop)
        finally:
            wakeup.close()
            if self._scout_thread is not None:
                self._scout_thread.join()  # the pass checks the stop flag between users
            self.pulse.stop()
            self.heartbeat.beat(force=True)
            log.info("Worker %s stopped: %s", self.worker_id, self.report)
        return self.report

    def _guarded_scout(self) -> None:
        self._guarded(self._start_scout_lane)

    @staticmethod
    def _guarded(fn: Callable[[], object]) -> None:
        try:
            fn()
        except Exception:  # schedule does not catch; the loop must survive
            log.exception("Scheduled task %s failed", getattr(fn, "__name__", fn))

    def _next_wait(self, scheduler: schedule.Scheduler) -> float:
        wait = self.options.poll_seconds
        idle = scheduler.idle_seconds
        if idle is not None:
            wait = min(wait, max(0.0, idle))
        try:
            with transaction(self.pool) as conn:
                due_in = refresh_queue.seconds_until_next_job(
                    conn, dead_after_seconds=self.options.dead_after_seconds)
        except CineError:
            due_in = None
        if due_in is not None:
            wait = min(wait, due_in)
        return max(MIN_WAIT_SECONDS, wait)
