"""Running queued import jobs in the worker: parse, resolve and write, with progress the page can show."""

from __future__ import annotations

import logging
import threading
import time

from psycopg_pool import ConnectionPool

from cine_core.db import service_transaction
from cine_core.domain.errors import CineError
from cine_core.domain.protocols import MovieSource
from cine_core.imports.lookup_budget import LookupBudget
from cine_core.imports.service import import_bytes
from cine_core.jobs import import_jobs
from cine_core.jobs.import_jobs import ClaimedImport

log = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5  # how often the page's progress bar can move


class ImportStopped(CineError):
    """The worker is stopping: the import was left at a row boundary, nothing written, the job handed back."""


def run_pending_imports(pool: ConnectionPool, worker_id: str, source: MovieSource, *, limit: int = 10,
                        stop: threading.Event | None = None) -> int:
    """Claim and run queued import jobs (at most `limit`, until `stop`); returns how many were settled."""
    settled = 0
    while settled < limit and not (stop is not None and stop.is_set()):
        with service_transaction(pool) as conn:
            job = import_jobs.claim_next(conn, worker_id)
        if job is None:
            break
        if run_import_job(pool, job, worker_id, source, stop=stop) is not None:
            settled += 1
    return settled


def run_import_job(pool: ConnectionPool, job: ClaimedImport, worker_id: str, source: MovieSource, *,
                   stop: threading.Event | None = None) -> bool | None:
    """Import one claimed job and settle it; True when it succeeded, None when `stop` interrupted it (at a
    row boundary, before anything was written: the job is queued again and starts over). Never raises."""
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        if stop is not None and stop.is_set() and done < total:
            raise ImportStopped(f"stopped at row {done:,} of {total:,}")
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS or done == total:
            last = now
            with service_transaction(pool) as conn:
                import_jobs.report_progress(conn, job, worker_id, done, total)

    try:
        budget = LookupBudget(source)  # one search per distinct title, a bounded number of calls per import
        report = import_bytes(pool, job.content, job.file_name, job.user_id, source=budget, progress=progress)
    except ImportStopped as exc:
        _hand_back(pool, job, worker_id)
        log.info("Import job %s (%s) handed back: %s", job.id, job.file_name, exc)
        return None
    except CineError as exc:
        _settle(pool, job, report=None, error=str(exc))
        log.info("Import job %s (%s) failed: %s", job.id, job.file_name, exc)
        return False
    except Exception as exc:  # the job must settle and the worker must go on
        log.exception("Import job %s (%s) crashed", job.id, job.file_name)
        _settle(pool, job, report=None, error=f"The import failed unexpectedly ({type(exc).__name__}); nothing was changed")
        return False
    _settle(pool, job, report=report.to_json(), error=None)
    log.info("Import job %s done (%d lookups, %d refused by the budget): %s", job.id, budget.calls, budget.refused,
             report.summary())
    return True


def _settle(pool: ConnectionPool, job: ClaimedImport, *, report: dict | None, error: str | None) -> None:
    try:
        with service_transaction(pool) as conn:
            import_jobs.finish(conn, job, report=report, error=error)
    except CineError:  # the lease expires and the job is retaken
        log.exception("Could not settle import job %s", job.id)


def _hand_back(pool: ConnectionPool, job: ClaimedImport, worker_id: str) -> None:
    try:
        with service_transaction(pool) as conn:
            import_jobs.hand_back(conn, job, worker_id)
    except CineError:  # the lease expires and the job is retaken
        log.exception("Could not hand back import job %s", job.id)
