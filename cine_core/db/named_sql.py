"""The one SQL loader: a module's queries live in its sidecar file (`films/rows.py` -> `films/rows.sql`),
split by `-- name: x` headers, and are read with `load_sql(__name__, "x")`."""

from __future__ import annotations

import functools
import importlib
import re
import sys
from collections.abc import Mapping
from pathlib import Path

_NAME_LINE = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.M)


def sql_file(module: str) -> Path:
    """The sidecar .sql file of `module` (a dotted name, usually the caller's `__name__`)."""
    loaded = sys.modules.get(module) or importlib.import_module(module)
    return Path(loaded.__file__).with_suffix(".sql")


@functools.cache
def _parse(path: Path) -> dict[str, str]:
    parts = _NAME_LINE.split(path.read_text())
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2], strict=True)}


@functools.cache
def sql_queries(module: str) -> Mapping[str, str]:
    """{name: sql} for every `-- name: x` section of `module`'s sidecar file (read once per process)."""
    return _parse(sql_file(module))


def load_sql(module: str, name: str) -> str:
    """The query `name` of `module`'s sidecar file: `load_sql(__name__, "claim")`."""
    try:
        return sql_queries(module)[name]
    except KeyError:
        raise KeyError(f"{sql_file(module).name} has no '-- name: {name}' query") from None
