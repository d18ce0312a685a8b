"""The one SQL loader (#26.8): every module reads its sidecar .sql through cine_core.db.load_sql."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cine_core.db import load_sql, sql_file, sql_queries

ROOT = Path(__file__).parents[3]
PRODUCT = [p for d in ("cine_core", "worker", "pages", "ui") for p in (ROOT / d).rglob("*.py")]
_CALL = re.compile(r'load_sql\(__name__, "(\w+)"\)')


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_a_query_is_read_from_the_module_sidecar():
    assert sql_file("cine_core.jobs.refresh_queue") == ROOT / "cine_core/jobs/refresh_queue.sql"
    assert "recommendation_refresh_queue" in load_sql("cine_core.jobs.refresh_queue", "claim_job")
    assert sql_queries("cine_core.jobs.refresh_queue") is sql_queries("cine_core.jobs.refresh_queue")  # read once


def test_a_missing_query_names_its_file():
    with pytest.raises(KeyError, match="refresh_queue.sql has no '-- name: nope' query"):
        load_sql("cine_core.jobs.refresh_queue", "nope")


def test_no_module_has_a_loader_of_its_own():
    own = [str(p.relative_to(ROOT)) for p in PRODUCT if p.parent.name != "db"
           and re.search(r"def _sql\b|QUERIES_FILE|with_suffix\(\"\.sql\"\)|load_named_queries", p.read_text())]
    assert own == []


def test_every_named_query_a_module_asks_for_exists():
    asked = [(p, name) for p in PRODUCT if p.parent.name != "db" for name in _CALL.findall(p.read_text())]
    assert len(asked) > 100
    missing = [(_module(p), name) for p, name in asked if name not in sql_queries(_module(p))]
    assert missing == []
