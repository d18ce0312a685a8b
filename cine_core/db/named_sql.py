"""Named SQL files: `-- name: x` headers split one .sql file into queries looked up by name."""

from __future__ import annotations

import functools
import re
from pathlib import Path

_NAME_LINE = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.M)


@functools.cache
def load_named_queries(path: Path) -> dict[str, str]:
    """{name: sql} for every `-- name: x` section of the file at `path` (read once per process)."""
    parts = _NAME_LINE.split(Path(path).read_text())
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}
