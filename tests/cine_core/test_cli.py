"""The maintenance CLI: clear one-line errors, idempotent migrate."""

from __future__ import annotations

import os
import subprocess
import sys

from cine_core.config import PROJECT_ROOT


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TMDB_", "ANTHROPIC_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "cine_core", *args], cwd=PROJECT_ROOT, env=full_env,
        capture_output=True, text=True, timeout=120,
    )


def test_unreachable_database_is_one_clear_line_and_a_non_zero_exit():
    result = _run(["migrate"], DATABASE_URL="postgresql://nobody:secret@127.0.0.1:1/nowhere")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "database" in error_lines[0].lower()
    assert "secret" not in result.stderr, "the password must not be printed"


def test_migrate_twice_through_the_cli_is_a_no_op(db_url):
    first = _run(["migrate"], DATABASE_URL=db_url)
    second = _run(["migrate"], DATABASE_URL=db_url)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "up to date" in second.stdout
