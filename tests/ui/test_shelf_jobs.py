"""The shelves' background jobs (ui/shelves.py): one per person, a bounded number per server process (#26.7)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ui.shelves import ShelfJobs


def test_one_job_per_person_and_the_longest_kept_go_past_the_limit():
    with ThreadPoolExecutor(1) as executor:
        jobs = ShelfJobs(executor, limit=3)
        first = jobs.job(("ann", 1, "day"), lambda: ["a"])
        assert jobs.job(("ann", 1, "day"), lambda: ["again"]) is first  # the same taste: the same job
        assert jobs.job(("ann", 2, "day"), lambda: ["b"]).result() == ["b"] and len(jobs) == 1  # a new taste
        for person in ("bob", "cat", "dan", "eve"):
            jobs.job((person, 1, "day"), lambda: [])
        assert len(jobs) == 3  # ann and bob, kept longest, went
        assert jobs.job(("eve", 1, "day"), lambda: ["new"]).result() == []  # eve's job is still there


def test_sessions_asking_together_share_one_job():
    started = threading.Barrier(8)
    made: list[int] = []
    with ThreadPoolExecutor(1) as executor:
        jobs = ShelfJobs(executor)

        def ask(_) -> object:
            started.wait()
            return jobs.job(("ann", 1, "day"), lambda: made.append(1) or [])

        with ThreadPoolExecutor(8) as sessions:
            asked = set(map(id, sessions.map(ask, range(8))))
    assert len(asked) == 1 and made == [1]
