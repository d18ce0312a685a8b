"""Per-user read caches for the dashboard: a value is kept while the user's data stamp is unchanged.

The stamp is read from the database in the same round trip as the dashboard's state (see `user_state` in
dashboard.sql): the count and a hash of the user's ratings (film, stars, date) and 👍/👎/dismissals, the
taste profile's version and write time, and the database's name. Any write that can change a cached value
changes the stamp, so the next read recomputes; nothing has to remember to invalidate.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_USERS = 512  # one entry per user (the latest stamp); the least recently used user is dropped first


class VersionedCache(Generic[T]):
    """The last value computed for each user, with the stamp it was computed under; thread-safe, bounded."""

    def __init__(self, max_users: int = MAX_USERS) -> None:
        self._entries: OrderedDict[str, tuple[Hashable, T]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_users = max_users
        self.loads = 0  # how many times a value was computed (tests and benchmarks read it)

    def get(self, user_id: str, stamp: Hashable, load: Callable[[], T]) -> T:
        """The cached value if `stamp` matches the one it was computed under, else `load()` (then kept)."""
        with self._lock:
            entry = self._entries.get(user_id)
            if entry is not None and entry[0] == stamp:
                self._entries.move_to_end(user_id)
                return entry[1]
        value = load()  # outside the lock: a slow load for one user never blocks another's page
        with self._lock:
            self.loads += 1
            self._entries[user_id] = (stamp, value)
            self._entries.move_to_end(user_id)
            while len(self._entries) > self._max_users:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
