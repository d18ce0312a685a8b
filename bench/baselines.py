"""Baselines scored on the same cases as the local matcher: random, TopPop, item-kNN (collaborative)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from bench.quality_data import Case, Dataset

log = logging.getLogger(__name__)

KNN_NEIGHBOURS = 50  # each film's k most similar films in the whole catalog (Sarwar et al. 2001)
KNN_SHRINK = 10.0  # damp similarities resting on few co-raters
# k and shrink: grid k 10..400 x shrink 0..100 on `--holdout second-last`, best on both protocols.
# Summing the similarity to every rated film (no neighbourhood) lost ~0.08 NDCG@10 on `trending`.


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
    """Item-kNN as in Dacrema et al. 2019 (ItemKNNCF): cosine on binary "rated it" vectors, shrunk; every
    film keeps its k most similar films; a candidate scores the sum of similarities to those the user rated."""

    def __init__(self, interactions: dict[int, list[int]], item_ids: np.ndarray,
                 k: int = KNN_NEIGHBOURS, shrink: float = KNN_SHRINK, block: int = 1024):
        self.col = {int(i): c for c, i in enumerate(item_ids.tolist())}
        rows = [r for r, items in enumerate(interactions.values()) for _ in items]
        cols = [self.col[i] for items in interactions.values() for i in items]
        matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                   shape=(len(interactions), len(item_ids)))
        items = matrix.T.tocsr()  # item x user
        norms = np.sqrt(np.asarray(items.sum(axis=1)).ravel())
        n, k = len(item_ids), min(k, len(item_ids) - 1)
        out_rows, out_cols, out_vals = [], [], []
        for lo in range(0, n, block):  # row blocks keep memory at block x n
            co = (items[lo:lo + block] @ items.T).toarray()
            sims = co / (np.outer(norms[lo:lo + block], norms) + shrink + 1e-9)
            sims[np.arange(len(sims)), np.arange(lo, lo + len(sims))] = 0.0  # a film is not its own neighbour
            top = np.argpartition(-sims, k, axis=1)[:, :k]
            out_rows.append(np.repeat(np.arange(lo, lo + len(sims)), k))
            out_cols.append(top.ravel())
            out_vals.append(np.take_along_axis(sims, top, axis=1).ravel())
        self.similarity = sparse.csr_matrix(
            (np.concatenate(out_vals), (np.concatenate(out_rows), np.concatenate(out_cols))), shape=(n, n))

    def __call__(self, case: Case) -> np.ndarray:
        cand = np.asarray([self.col[int(i)] for i in case.candidates])
        mine = np.asarray([self.col[r.movie.id] for r in case.train])
        return np.asarray(self.similarity[cand][:, mine].sum(axis=1)).ravel()
