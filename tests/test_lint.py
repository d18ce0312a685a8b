"""`ruff check` holds on the whole tree (rules and per-file exceptions in pyproject.toml [tool.ruff.lint])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_checks_function_size_and_complexity(tmp_path):
    """The rules that measure what matters are on: a function with too many statements and branches fails."""
    branches = "\n".join(f"    if x == {n}:\n        y = {n}" for n in range(14))
    (tmp_path / "big.py").write_text(f"def f(x):\n    y = 0\n{branches}\n    return y\n")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           "--config", str(ROOT / "pyproject.toml"), str(tmp_path / "big.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "C901" in done.stdout and "PLR0912" in done.stdout
