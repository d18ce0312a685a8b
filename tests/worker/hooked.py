"""`python -m tests.worker.hooked [--job module:factory] [--scout module:factory] [--no-user-lock] <worker args>`:
the worker with test handlers, injected as main()'s wrap_job / wrap_scout / user_lock (the product's command line
has no such seam).

A factory is called as `factory(pool, default)` and returns the handler (tests/worker/hooks.py, lock_hooks.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from worker.__main__ import main


def _load(spec: str | None):
    if not spec:
        return None
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--job")
    parser.add_argument("--scout")
    parser.add_argument("--no-user-lock", action="store_true")  # shows what the per-user scoring lock prevents
    hooks, rest = parser.parse_known_args()
    sys.exit(main(rest, wrap_job=_load(hooks.job), wrap_scout=_load(hooks.scout), user_lock=not hooks.no_user_lock))
