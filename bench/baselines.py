"""Baselines scored on the same cases as the local matcher: random, TopPop, item-kNN (collaborative)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from bench.quality_data import Case, Dataset

log = logging.getLogger(__name__)

KNN_NEIGHBOURS = 100  # the user's most similar rated films that vote for a candidate
KNN_SHRINK = 10.0  # damp similarities resting on few co-raters


def training_interactions(dataset: Dataset, cases: Sequence[Case]) -> dict[int, list[int]]:
    """Every user's films minus what the protocol hides (held-out items are never training data)."""
    train = {c.user: [r.movie.id for r in c.train] for c in cases}
    return {u: train.get(u, [r.movie_id for r in rs]) for u, rs in dataset.users.items()}


class RandomScorer:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed + 1)

    def __call__(self, case: Case) -> np.ndarray:
        return self.rng.random(len(case.candidates))


class TopPopScorer:
    """Most-rated first, counted on training interactions."""

    def __init__(self, interactions: dict[int, list[int]]):
        self.counts = Counter(i for items in interactions.values() for i in items)

    def __call__(self, case: Case) -> np.ndarray:
        return np.asarray([self.counts.get(int(i), 0) for i in case.candidates], dtype=np.float64)


class ItemKNNScorer:
    """Item-item cosine on binary "rated it" vectors over other users, shrunk; sum of the top-k neighbours."""

    def __init__(self, interactions: dict[int, list[int]], item_ids: np.ndarray):
        self.col = {int(i): k for k, i in enumerate(item_ids.tolist())}
        rows, cols = [], []
        for r, items in enumerate(interactions.values()):
            for i in items:
                rows.append(r)
                cols.append(self.col[i])
        matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(interactions), len(item_ids)))
        self.items = matrix.T.tocsr()  # item x user
        self.norms = np.sqrt(np.asarray(self.items.sum(axis=1)).ravel())

    def __call__(self, case: Case) -> np.ndarray:
        cand = np.asarray([self.col[int(i)] for i in case.candidates])
        mine = np.asarray([self.col[r.movie.id] for r in case.train])
        co = (self.items[cand] @ self.items[mine].T).toarray()
        sims = co / (np.outer(self.norms[cand], self.norms[mine]) + KNN_SHRINK)
        k = min(KNN_NEIGHBOURS, sims.shape[1])
        return np.partition(sims, sims.shape[1] - k, axis=1)[:, sims.shape[1] - k:].sum(axis=1)
