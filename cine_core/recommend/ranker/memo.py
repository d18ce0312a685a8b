"""The ranker's per-person memo: the catalog-wide work of a ranking, kept for the next one with the same inputs.

Ranking the whole catalog for a person costs ~40–70 ms, nearly all of it the person's features over every film
(`person_features`) to choose and order the candidate pool. A scout ranks the same person again and again with
the same history and exclusions, only the lists' films (`also`) changing: 77% of the rankings of a 1,000-person
week (bench.cost). The memo keeps, per (history, reference date, the films allowed), the pool's best films with
their scores; a second ranking scores only the lists' films that are not among them.

What is kept is enough to give the same list, bit for bit: every pool film scoring at least the `limit`-th best
(ties at the boundary included), with its place in the pool (the order of ties when no film is added). A pool
film scoring below that cannot enter the first `limit` however films are added; a list's film is scored anew.
A failed ranking stores nothing; a memo belongs to one ranker (its index, neighbours and weights never change).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from cine_core.recommend.ranker.features import HistoryItem

MEMO_PEOPLE = 4096  # entries (~2.5 kB each at a limit of 60): a day of scouting 1,000 people and the next


@dataclass(frozen=True, slots=True, eq=False)
class PoolTop:
    """The candidate pool's films scoring at least its `limit`-th best, in pool order."""

    limit: int
    rows: np.ndarray  # catalog rows
    positions: np.ndarray  # place in the pool (its order breaks ties when no film is added)
    score: np.ndarray
    like_logit: np.ndarray

    @classmethod
    def of(cls, pool: np.ndarray, score: np.ndarray, like_logit: np.ndarray, limit: int) -> PoolTop | None:
        """From the whole pool's scores (None when a score is not finite: its order would not be kept)."""
        if not np.isfinite(score).all() or limit < 1:
            return None
        keep = np.ones(len(pool), dtype=bool)
        if len(pool) > limit:
            keep = score >= np.partition(score, len(score) - limit)[len(score) - limit]
        positions = np.flatnonzero(keep)
        return cls(limit, pool[positions], positions, score[positions], like_logit[positions])


def fingerprint(history: Sequence[HistoryItem], reference: date, allowed: np.ndarray) -> bytes:
    """What the pool depends on: the history in its order (films, stars, dates), the reference date and the
    films allowed (exclusions, release cut and the history itself)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.asarray([h.movie_id for h in history], dtype=np.int64).tobytes())
    digest.update(np.asarray([np.nan if h.rating is None else h.rating for h in history], dtype=np.float64).tobytes())
    digest.update(np.asarray([h.order for h in history], dtype=np.float64).tobytes())
    digest.update(reference.toordinal().to_bytes(4, "little"))
    digest.update(np.packbits(allowed).tobytes())
    return digest.digest()


class RankMemo:
    """A bounded LRU of PoolTops by fingerprint; thread-safe (the worker's lanes share one ranker)."""

    def __init__(self, size: int = MEMO_PEOPLE) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, PoolTop] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: bytes, limit: int) -> PoolTop | None:
        with self._lock:
            top = self._entries.get(key)
            if top is None or top.limit < limit:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return top

    def put(self, key: bytes, top: PoolTop) -> None:
        with self._lock:
            held = self._entries.get(key)
            if held is None or held.limit < top.limit:
                self._entries[key] = top
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
