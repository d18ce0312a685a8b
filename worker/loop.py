"""The worker loop: drain the refresh queue, run the scout for due users, wait for the next wake-up.

Shape taken from procrastinate: wait on the first of a NOTIFY, the polling interval and a stop
request; a stop request sets a flag: jobs in hand get `stop_grace_seconds` to finish, then they are handed
back (due again at once, not failures) and the worker exits. Every job is guarded: one that raises is
logged with its traceback, recorded on its queue row, and the loop carries on. Imports run in a lane of
their own, so an import never holds up a refresh and a refresh never holds up an import.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import schedule
from psycopg_pool import ConnectionPool

from cine_core.db import transaction
from cine_core.domain.errors import CineError
from cine_core.jobs import job_lease, refresh_queue
from cine_core.jobs.heartbeat import Heartbeat
from cine_core.jobs.refresh_queue import Job
from cine_core.recommend import scout_state
from worker.import_lane import ImportLane
from worker.lanes import run_lanes, wait_for
from worker.options import POLL_SECONDS, SCOUT_BATCH_PER_LANE, SCOUT_CHECK_SECONDS, PassReport, WorkerOptions  # noqa: F401
from worker.pulse import Pulse
from worker.wakeup import Wakeup, next_wait

if TYPE_CHECKING:
    from cine_core.recommend.verdict_batches import VerdictBatches

log = logging.getLogger(__name__)

FROM_SETTINGS = object()  # Worker(batches=...): build from CINE_LLM_BATCHES and the Anthropic key

JobHandler = Callable[[Job], None]
UserHandler = Callable[[str], None]


class Worker:
    """One worker process. `refresh_job` handles queue jobs; `scout_user` runs the scheduled scout."""

    def __init__(
        self,
        pool: ConnectionPool,
        db_url: str,
        *,
        refresh_job: JobHandler,
        scout_user: UserHandler,
        run_imports: Callable[[str, threading.Event], int] | None = None,
        options: WorkerOptions = WorkerOptions(),  # noqa: B008 (frozen)
        heartbeat: Heartbeat | None = None,
        stop: threading.Event | None = None,
        batches: VerdictBatches | None | object = FROM_SETTINGS,
    ) -> None:
        self.pool = pool
        self.db_url = db_url
        self.options = options
        self.refresh_job = refresh_job
        self.scout_user = scout_user
        self.run_imports = run_imports
        self.heartbeat = heartbeat or Heartbeat(pool, beat_seconds=options.beat_seconds)
        self.pulse = Pulse(pool, self.heartbeat, beat_seconds=options.beat_seconds,
                           lease_seconds=options.lease_seconds, dead_after_seconds=options.dead_after_seconds,
                           max_interruptions=options.max_interruptions)
        self.stop = stop or threading.Event()
        self.report = PassReport()
        self._scout_thread: threading.Thread | None = None
        self.imports = ImportLane(run_imports, lambda: self.worker_id, self.stop)
        # Scheduled Claude verdicts (CINE_LLM_BATCHES): submitted after each scout pass, polled on a schedule.
        self.batches = _batches_from_settings(pool) if batches is FROM_SETTINGS else batches

    @property
    def worker_id(self) -> str:
        return self.heartbeat.worker_id

    # --- queue -------------------------------------------------------------------------------

    def drain(self) -> int:
        """Process refresh jobs until none is claimable (or stop); imports run meanwhile in their own lane.

        After a stop request the lanes get `stop_grace_seconds`; the jobs still in hand are then handed back.
        """
        self.imports.poke()
        lanes = max(1, self.options.concurrency)
        run = run_lanes("job", lanes, self._drain_lane, self.stop, grace_seconds=self.options.stop_grace_seconds)
        if run.abandoned:
            self._hand_back_held()
        return run.total

    def wait_for_imports(self) -> bool:
        """Wait for the import lane (run_once; tests); True if it ended."""
        return self.imports.wait(self.options.stop_grace_seconds)

    def _hand_back_held(self) -> None:
        self.report.add(jobs_handed_back=self.pulse.hand_back_all())

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
        except (job_lease.JobGivenUp, job_lease.LeaseLost) as exc:  # settled already, or not ours
            log.error("Job %s (user %s): %s", job.id, job.user_id, exc)
            self.report.add(jobs_failed=1)
            self.heartbeat.job_finished(ok=False)
            return False
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
        self.submit_batches()
        return scouted

    # --- Message Batches (cine_core/recommend/verdict_batches.py) ------------------------------

    def submit_batches(self) -> int:
        """Send the scoring requests a scout pass queued as one batch; returns batches submitted. Never raises."""
        if self.batches is None:
            return 0
        try:
            return len(self.batches.submit_pending())
        except Exception:  # e.g. the database restarting: the requests stay queued for the next pass
            log.exception("Submitting the pass's batch failed")
            return 0

    def poll_batches(self) -> int:
        """Apply the results of ended batches (each person's picks are rewritten by a queued refresh)."""
        if self.batches is None:
            return 0
        try:
            return self.batches.poll()
        except Exception:  # a batch that cannot be applied stays open; the next poll tries again
            log.exception("Polling batches failed")
            return 0

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
            self.poll_batches()  # results that arrived since the last pass: their refresh jobs run in the drain
            self.drain()
            if self.wait_for_imports():
                self.drain()  # the refreshes the imports asked for
            if self.options.scout_enabled:
                self.scout_pass(all_users=all_users)
                self.drain()
            self.wait_for_imports()
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
        if self.batches is not None:
            scheduler.every(max(1, round(self.options.batch_poll_seconds))).seconds.do(self.poll_batches)
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
            threads = [t for t in (self._scout_thread, self.imports.thread) if t is not None]
            wait_for(threads, self.stop, grace_seconds=self.options.stop_grace_seconds)  # both check the flag
            self._hand_back_held()  # a scout lane's jobs are not in hand; a drain's were handed back already
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
        return next_wait(self.pool, scheduler, poll_seconds=self.options.poll_seconds,
                         dead_after_seconds=self.options.dead_after_seconds)


def _batches_from_settings(pool: ConnectionPool) -> VerdictBatches | None:
    from cine_core.config import get_settings
    from cine_core.recommend.verdict_batches import VerdictBatches  # lazy: the SDK's imports, only when used

    return VerdictBatches.from_settings(get_settings(), pool)
