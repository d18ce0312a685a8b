"""MovieStore fetches under per-film locks: different films are fetched at once, one film only once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from cine_core.films.cache import KeyedLocks, MovieStore
from tests.cine_core.test_movie_store import FakeTMDB

FETCH_SECONDS = 0.3


class SlowTMDB(FakeTMDB):
    """details() takes FETCH_SECONDS and records how many run at the same time."""

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()
        self.running = 0
        self.most_at_once = 0

    def details(self, movie_id: int):
        with self._guard:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(FETCH_SECONDS)
            return super().details(movie_id)
        finally:
            with self._guard:
                self.running -= 1


def _in_parallel(store: MovieStore, *id_lists: list[int]) -> list[dict]:
    with ThreadPoolExecutor(len(id_lists)) as lanes:
        return list(lanes.map(store.get, id_lists))


def test_different_films_are_fetched_at_the_same_time(pool):
    """The process-wide fetch lock serialised these: a scout pass blocked every rating's refresh."""
    source = SlowTMDB()
    store = MovieStore(pool, source)
    started = time.monotonic()
    first, second = _in_parallel(store, [910_001], [910_002])
    assert set(first) == {910_001} and set(second) == {910_002}
    assert source.most_at_once == 2
    assert time.monotonic() - started < 2 * FETCH_SECONDS + 0.25


def test_one_film_wanted_by_two_callers_is_fetched_once(pool):
    source = SlowTMDB()
    store = MovieStore(pool, source)
    first, second = _in_parallel(store, [910_003, 910_004], [910_004, 910_003])
    assert set(first) == set(second) == {910_003, 910_004}
    assert source.calls["details"] == 2


def test_keyed_locks_are_dropped_when_released():
    locks = KeyedLocks()
    with locks.holding([3, 1, 2]):
        assert len(locks) == 3
        with locks.holding([4]):  # another key is free while these are held
            assert len(locks) == 4
    assert len(locks) == 0
