"""Process-wide values are built once and never keep a failure; warm-up objects leave the collector's walk."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from cine_core.memory import freeze_after, freeze_long_lived, process_wide


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


def test_threads_asking_at_once_share_one_build():
    builds = []

    @process_wide
    def slow() -> object:
        time.sleep(0.05)
        builds.append(1)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(slow())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert len({id(v) for v in got}) == 1


def test_a_failed_build_is_not_kept():
    attempts = []

    @process_wide
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("catalog file unreadable")
        return "built"

    with pytest.raises(OSError):
        flaky()
    assert flaky() == "built"
    assert flaky() == "built"
    assert len(attempts) == 2


def test_a_full_collection_skips_frozen_objects(unfrozen):
    long_lived = [{"film": i, "genres": [str(i)]} for i in range(200_000)]
    report = freeze_long_lived()
    assert report.frozen >= 400_000
    assert report.collect_ms_after < report.collect_ms_before / 5
    assert long_lived[-1]["film"] == 199_999  # frozen objects stay alive and usable


def test_the_freeze_waits_for_the_warm_ups(unfrozen):
    built: list[dict] = []

    def warm_up() -> None:
        time.sleep(0.3)
        built.append({"index": "built during the warm-up"})

    warming = threading.Thread(target=warm_up)
    warming.start()
    freeze_after([warming, None]).join(30)
    assert built, "the freeze ran before the warm-up ended"
    assert not any(o is built[0] for o in gc.get_objects()), "the warm-up's objects were not frozen"



def test_the_worker_s_allocator_settings_take_on_glibc():
    """The worker pins glibc's mmap threshold at start and trims the C heap after each job (#26.7); whether that
    keeps it flat is bench.memory's question (docs/caching.md, "Soak"), here only that the calls take."""
    import subprocess
    import sys

    from cine_core.config import PROJECT_ROOT

    code = ("from cine_core.memory import give_back_free_memory, map_big_arrays_apart;"
            "print(map_big_arrays_apart(), give_back_free_memory())")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split() == ["True", "True"]
