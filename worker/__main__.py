"""`python -m worker [--once [--all]] [--concurrency N]`: the CineAI background worker."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from worker.loop import POLL_SECONDS, WorkerOptions

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

    from cine_core.config import Settings
    from worker.jobs import JobWrapper, UserWrapper

log = logging.getLogger("worker")

EXIT_CANNOT_RUN = 2


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from cine_core.jobs.heartbeat import BEAT_SECONDS
    from cine_core.jobs.refresh_queue import (
        BACKOFF_BASE_SECONDS,
        DEAD_AFTER_SECONDS,
        DEFAULT_LEASE_SECONDS,
        MAX_INTERRUPTIONS,
    )

    parser = argparse.ArgumentParser(prog="python -m worker", description="CineAI background worker")
    parser.add_argument("--once", action="store_true",
                        help="one pass: drain the queue, scout users that are due, exit 0")
    parser.add_argument("--all", action="store_true", help="with --once: scout every active user")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="jobs / users processed in parallel (default: CINE_WORKER_CONCURRENCY, else "
                             "Settings.cine_worker_concurrency)")
    parser.add_argument("--poll-seconds", type=float, default=_env_float("CINE_WORKER_POLL_SECONDS", POLL_SECONDS),
                        help="safety-net polling interval when no NOTIFY arrives")
    parser.add_argument("--lease-seconds", type=float,
                        default=_env_float("CINE_WORKER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS),
                        help="how long a claimed job stays ours unless extended (it is, while the job runs)")
    parser.add_argument("--beat-seconds", type=float, default=_env_float("CINE_WORKER_BEAT_SECONDS", BEAT_SECONDS),
                        help="heartbeat and lease-extension interval (a side thread, also during a job)")
    parser.add_argument("--dead-after-seconds", type=float,
                        default=_env_float("CINE_WORKER_DEAD_AFTER_SECONDS", DEAD_AFTER_SECONDS),
                        help="a worker silent this long is dead: its jobs are released, not counted as failures")
    parser.add_argument("--max-interruptions", type=int,
                        default=int(os.environ.get("CINE_WORKER_MAX_INTERRUPTIONS") or MAX_INTERRUPTIONS),
                        help="worker deaths during one job before it is given up as a poison job")
    parser.add_argument("--backoff-seconds", type=float,
                        default=_env_float("CINE_WORKER_BACKOFF_SECONDS", BACKOFF_BASE_SECONDS),
                        help="first retry delay of a failed job (doubles per attempt)")
    parser.add_argument("--no-listen", action="store_true", default=os.environ.get("CINE_WORKER_LISTEN") == "0",
                        help="poll only, no LISTEN/NOTIFY (for comparison benchmarks)")
    parser.add_argument("--no-scout", action="store_true", help="drain the queue only, never run the scout")
    args = parser.parse_args(argv)
    if args.all and not args.once:
        parser.error("--all needs --once")
    if args.concurrency is not None and args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    if args.dead_after_seconds <= 2 * args.beat_seconds:
        parser.error("--dead-after-seconds must exceed two beats (--beat-seconds)")
    return args


def main(argv: list[str] | None = None, *, wrap_job: JobWrapper | None = None,
         wrap_scout: UserWrapper | None = None, user_lock: bool = True) -> int:
    """The worker process. `wrap_job` / `wrap_scout` wrap the handlers and `user_lock=False` shows what the
    per-user scoring lock prevents: tests pass them (tests/worker/hooked.py); the command line and the
    environment cannot."""
    args = parse_args(argv)
    from cine_core.config import get_settings
    from cine_core.domain.errors import CineError

    settings = get_settings()
    concurrency = args.concurrency or settings.cine_worker_concurrency
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    try:
        url, pool = _open_checked_pool(settings, concurrency)
    except CineError as exc:
        print(f"worker: cannot start: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    from cine_core.memory import map_big_arrays_apart

    map_big_arrays_apart()  # before the lanes start: a long history's arrays must not stay in the heap
    stop = threading.Event()
    _install_signal_handlers(stop)
    try:
        _run(args, settings, pool, url, stop, _options(args, settings, concurrency),
             wrap_job=wrap_job, wrap_scout=wrap_scout, user_lock=user_lock)
    except CineError as exc:
        print(f"worker: cannot run: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    finally:
        pool.close(timeout=1.0)  # a lane given up on at stop may still hold a connection
    if not args.once:
        # Jobs still in hand were handed back; their daemon threads (and a scout pass's executor, which the
        # interpreter would join) must not keep the process alive.
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)
    return 0


def _options(args: argparse.Namespace, settings: Settings, concurrency: int) -> WorkerOptions:
    return WorkerOptions(
        poll_seconds=args.poll_seconds, lease_seconds=args.lease_seconds, backoff_seconds=args.backoff_seconds,
        concurrency=concurrency, listen=not args.no_listen, beat_seconds=args.beat_seconds,
        dead_after_seconds=args.dead_after_seconds, max_interruptions=args.max_interruptions,
        scout_interval_hours=settings.scout_interval_hours, scout_enabled=not args.no_scout,
    )


def _open_checked_pool(settings: Settings, concurrency: int) -> tuple[str, ConnectionPool]:
    """The worker's pool on a database that has CineAI's schema, or a CineError saying why not."""
    from cine_core.db import database_url, open_pool
    from cine_core.domain.errors import CineError

    url = database_url(settings)
    # Per lane (queue and scout lanes run side by side): a scoring-lock connection and a working one.
    pool = open_pool(url, min_size=1, max_size=4 * concurrency + 4, name="worker")
    try:
        _check_schema(pool)
    except CineError:
        pool.close()
        raise
    return url, pool


def _run(args: argparse.Namespace, settings: Settings, pool: ConnectionPool, url: str, stop: threading.Event,
         options: WorkerOptions, *, wrap_job: JobWrapper | None, wrap_scout: UserWrapper | None,
         user_lock: bool) -> None:
    """Build the handlers, start the warm-up beside the loop, then one pass (--once) or run until stopped."""
    from cine_core.jobs.heartbeat import Heartbeat, new_worker_id
    from cine_core.memory import run_then_freeze
    from worker.jobs import build_handlers
    from worker.loop import Worker

    worker_id = new_worker_id()
    handlers = build_handlers(settings, pool, worker_id=worker_id, dead_after_seconds=args.dead_after_seconds,
                              user_lock=user_lock, wrap_job=wrap_job, wrap_scout=wrap_scout)
    # The first refresh should not pay for imports and indexing, but a SIGTERM during those seconds
    # must not wait for them: the warm-up runs beside the loop (a first job waits for the context).
    # Then what it built (catalog, indexes, ranker) is frozen out of the collector's walk (cine_core.memory).
    threading.Thread(target=run_then_freeze, args=(handlers.warm_up,), name="warm-up", daemon=True).start()
    worker = Worker(pool, url, refresh_job=handlers.refresh_job, scout_user=handlers.scout_user,
                    run_imports=handlers.run_imports, options=options, stop=stop,
                    heartbeat=Heartbeat(pool, worker_id, beat_seconds=args.beat_seconds))
    if args.once:
        report = worker.run_once(all_users=args.all)
        print(f"worker: {report.jobs_done} job(s) done, {report.jobs_failed} failed, "
              f"{report.users_scouted} user(s) scouted, {report.scouts_failed} scout(s) failed")
        return
    from cine_core.digest.scheduler import start_digest_thread
    from worker.provider_checks import start_provider_thread

    start_digest_thread(pool, settings, stop)  # the weekly email's clock; off without SMTP
    start_provider_thread(pool, settings, stop)  # "now on your services"; off without a TMDB key
    worker.run_forever()


def _check_schema(pool) -> None:
    """A reachable database without CineAI's tables cannot be worked on: say so once, clearly."""
    from cine_core.db import service_transaction
    from cine_core.domain.errors import DatabaseError, DatabaseUnavailable
    from cine_core.jobs import refresh_queue

    try:
        with service_transaction(pool) as conn:
            refresh_queue.queue_stats(conn)
    except DatabaseUnavailable:
        raise
    except DatabaseError as exc:
        raise DatabaseError(f"the database has no CineAI schema (run `python -m cine_core setup`): {exc}") from exc


def _install_signal_handlers(stop: threading.Event) -> None:
    """First SIGTERM/SIGINT: give the jobs in hand a few seconds (WorkerOptions.stop_grace_seconds), hand
    back the rest, exit. A second SIGINT exits at once."""

    def _request_stop(signum: int, _frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        log.info("Received %s: stopping (jobs in hand get a few seconds, then are handed back)",
                 signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _request_stop)
    signal.signal(signal.SIGINT, _request_stop)


if __name__ == "__main__":
    sys.exit(main())
