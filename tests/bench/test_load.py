"""bench.load: dashboard views over Streamlit's websocket protocol, timed, with errors counted, not hidden."""

from __future__ import annotations

import os

import pytest

from bench import load
from bench.load_client import run_closed
from bench.load_server import streamlit_server

pytestmark = pytest.mark.slow

MARKER = "Marker film"
FAILING_PAGE = f'import streamlit as st\nst.write("{MARKER}")\nraise ValueError("broken page")\n'
ERROR_PAGE = f'import streamlit as st\nst.write("{MARKER}")\nst.error("Loading your picks failed")\n'


@pytest.mark.timeout(120)
def test_two_sessions_for_a_few_seconds_view_the_dashboard_without_errors(db_url):
    result = load.main(["--levels", "2", "--duration", "4", "--period", "2", "--saturation-seconds", "0",
                        "--seed", "sql", "--warm-seconds", "0", "--database-url", db_url, "--json"])

    level = result["levels"][0]
    assert level["sessions"] == 2
    assert (level["errors"], level["first_error"]) == (0, None)
    assert level["views"] >= 4  # each session views at 0 s and 2 s at least
    assert level["first_pick_p95_ms"] >= level["first_pick_p50_ms"] > 0
    assert level["done_p95_ms"] >= level["done_p50_ms"] >= level["first_pick_p50_ms"]
    assert level["cpu_per_view_s"] > 0
    assert result["errors_total"] == 0


@pytest.mark.timeout(90)
@pytest.mark.parametrize(("page", "kind"), [(FAILING_PAGE, "exception"), (ERROR_PAGE, "error_alert")])
def test_a_page_that_fails_counts_as_an_error_not_as_a_view(tmp_path, page, kind):
    script = tmp_path / "page.py"
    script.write_text(page)
    with streamlit_server(script, dict(os.environ)) as server:
        tally = run_closed([server.uri], (MARKER.encode(),), sessions=2, duration=0.5)

    assert tally.done == []
    assert tally.errors[kind] >= 2
    assert set(tally.errors) == {kind}


def test_the_verdicts_compare_the_busiest_level_with_one_session_and_cpu_with_today():
    phase = {"errors": 0, "cpu_per_view_s": 0.105, "views_per_second": 4.0}
    result = load._verdicts({
        "levels": [{"sessions": 1, "first_pick_p95_ms": 100.0, "errors": 0},
                   {"sessions": 50, "first_pick_p95_ms": 250.0, "errors": 1}],
        "saturation": phase, "replicas": {**phase, "views_per_second": 6.0},
        "bare": {**phase, "cpu_per_view_s": 0.021},
    })

    assert result["p95_ratio_busiest_vs_single"] == 2.5
    assert result["cpu_per_view_vs_today"] == 0.5
    assert result["cpu_per_view_vs_bare"] == 5.0
    assert result["replica_speedup"] == 1.5
    assert result["errors_total"] == 1
