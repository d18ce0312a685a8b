"""One import cannot cost everyone else (#24.2): Trakt JSON capped and streamed like a CSV, film lookups per
import bounded, and a stopping worker leaves an import at a row boundary to be resumed."""

from __future__ import annotations

import json
import threading
import tracemalloc

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.errors import ImportFileError, TMDBNotFound
from cine_core.imports.background import run_import_job
from cine_core.imports.lookup_budget import LookupBudget
from cine_core.imports.reader import parse_bytes
from cine_core.imports.service import import_bytes
from cine_core.imports.text import MAX_ROWS
from cine_core.jobs import import_jobs


def _trakt_item(n: int) -> dict:
    return {"rating": 8, "rated_at": "2024-01-01T00:00:00Z",
            "movie": {"title": f"Film {n}", "year": 2000, "ids": {"tmdb": 10_000_000 + n}}}


def test_trakt_json_has_the_same_row_cap_as_a_csv():
    data = json.dumps([_trakt_item(n) for n in range(MAX_ROWS + 1)]).encode()
    with pytest.raises(ImportFileError, match="more than 200,000 items"):
        parse_bytes(data, "ratings-movies.json")


def test_millions_of_empty_trakt_items_stop_at_the_cap_without_building_the_document():
    data = b"[" + b",".join([b"{}"] * 1_500_000) + b"]"  # the probe's shape: 2.15 GB to parse whole at 10.6 M
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="more than 200,000 items"):
            parse_bytes(data, "ratings-movies.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 80_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_trakt_file_within_the_cap_is_read_item_by_item():
    data = json.dumps({"metadata": {}, "data": [_trakt_item(n) for n in range(3)] + [{"show": {}}, 7]}).encode()
    parsed = parse_bytes(data, "ratings-movies.json")
    assert [r.tmdb_id for r in parsed.rows] == [10_000_000, 10_000_001, 10_000_002]
    assert dict(parsed.not_films) == {"show": 1} and len(parsed.skipped) == 1


class CountingSource:
    """A film source that knows no film and counts what it is asked."""

    def __init__(self, stop_after: int | None = None, stop: threading.Event | None = None) -> None:
        self.searches = 0
        self.other = 0
        self._stop_after, self._stop = stop_after, stop

    def search(self, title, year=None, *, limit=10):
        self.searches += 1
        if self._stop is not None and self.searches >= self._stop_after:
            self._stop.set()
        return []

    def details(self, movie_id):
        self.other += 1
        raise TMDBNotFound(str(movie_id))

    def find_imdb(self, imdb_id):
        self.other += 1
        return None


def _letterboxd(titles: list[str]) -> bytes:
    lines = ["Date,Name,Year,Letterboxd URI,Rating"]
    lines += [f"2024-01-01,{t},1999,https://boxd.it/x,4" for t in titles]
    return "\n".join(lines).encode()


def test_lookups_per_import_are_one_per_distinct_title_and_bounded(pool, local_user):
    source = CountingSource()
    titles = [f"Unknown Film {n}" for n in range(300)]
    budget = LookupBudget(source, budget=50)
    report = import_bytes(pool, _letterboxd(titles + titles), "ratings.csv", local_user, source=budget)
    assert source.searches == 50 and budget.refused > 0
    assert report.matched == 0 and len(report.unmatched) == 300  # the rest reported as unmatched, not lost
    unbounded = CountingSource()
    import_bytes(pool, _letterboxd(titles[:40] * 3), "ratings.csv", local_user, source=LookupBudget(unbounded))
    assert unbounded.searches <= 2 * 40  # one search per distinct title and year (+ one without the year)


def test_a_stopping_worker_leaves_an_import_at_a_row_boundary_and_it_resumes(pool, local_user):
    from cine_core.films.catalog_source import shared_catalog_source

    with user_transaction(pool, local_user) as conn:
        import_jobs.submit(conn, local_user, "ratings.csv", _letterboxd(["The Matrix", "Ronin"] + [f"Nope {n}" for n in range(30)]))
    with transaction(pool) as conn:
        job = import_jobs.claim_next(conn, "w1")
    stop = threading.Event()
    assert run_import_job(pool, job, "w1", CountingSource(stop_after=5, stop=stop), stop=stop) is None
    with transaction(pool) as conn:
        row = conn.execute("select status, attempts, locked_by from import_jobs").fetchone()
        rated = conn.execute("select count(*) as n from ratings").fetchone()["n"]
    assert row == {"status": "queued", "attempts": 0, "locked_by": None} and rated == 0
    with transaction(pool) as conn:
        job = import_jobs.claim_next(conn, "w2")
    assert job is not None and run_import_job(pool, job, "w2", shared_catalog_source()) is True
    with transaction(pool) as conn:
        assert conn.execute("select status from import_jobs").fetchone()["status"] == "done"
        assert conn.execute("select count(*) as n from ratings").fetchone()["n"] == 2
