"""CLI: `python -m cine_core migrate | setup | import FILE --user ID | digest --send|--dry-run | run`."""

from __future__ import annotations

import argparse
import logging
import sys

from cine_core.domain.errors import CineError

log = logging.getLogger("cine_core")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cine_core", description="CineAI maintenance commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations (idempotent)")
    sub.add_parser("setup", help="migrate, load the offline catalog, ensure the local user (idempotent)")
    imp = sub.add_parser("import", help="import a Letterboxd / IMDb / Trakt export")
    imp.add_argument("file")
    imp.add_argument("--user", default=None, help="user id (default: the local user)")
    digest = sub.add_parser("digest", help="send the weekly discovery email now (due day or not)")
    how = digest.add_mutually_exclusive_group(required=True)
    how.add_argument("--send", action="store_true", help="send to everyone opted in without this week's email")
    how.add_argument("--dry-run", action="store_true", help="print the emails, send nothing")
    digest.add_argument("--user", default=None, help="only this user id")
    run = sub.add_parser("run", help="start the database, the worker and the Streamlit app")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: reachable from the LAN)")
    args = parser.parse_args(argv)

    from cine_core.config import get_settings

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(max(logging.WARNING, logging.getLogger().level))  # initdb chatter
    try:
        if args.command == "migrate":
            from cine_core.cli.commands import run_migrate

            applied = run_migrate(settings)
            print(f"Applied {len(applied)} migration(s)" if applied else "Database is up to date")
        elif args.command == "setup":
            from cine_core.cli.commands import run_setup

            report = run_setup(settings)
            print(report)
        elif args.command == "import":
            from cine_core.cli.commands import run_import

            print(run_import(settings, args.file, args.user))
        elif args.command == "digest":
            from cine_core.cli.digest import run_digest

            print(run_digest(settings, dry_run=args.dry_run, user_id=args.user))
        elif args.command == "run":
            from cine_core.cli.launcher import run_all

            return run_all(settings, port=args.port, host=args.host)
    except CineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
