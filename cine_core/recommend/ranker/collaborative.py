"""Collaborative neighbours: "people who watched this also watched…", from MovieLens ratings (EASE).

EASE (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019) learns item-to-item weights from who watched
what; we keep each film's strongest neighbours. The shipped table (`data/neighbours.npz`, built by
`scripts/build_neighbours.py`) is derived from MovieLens ml-latest-small, whose GroupLens licence is for
research and non-commercial use: set `CINE_COLLABORATIVE=0` to switch it off (the ranker then uses its
content-only weights; README states both figures). Benchmarks build their own table from the training part.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from cine_core.recommend.ranker.index import CatalogIndex

log = logging.getLogger(__name__)

NEIGHBOURS_FILE = Path(__file__).resolve().parent / "data" / "neighbours.npz"
TOP_NEIGHBOURS = 50
EASE_LAMBDA = 200.0  # L2 weight of EASE; fit on held-out MovieLens (bench.catalog_fit)
# ml-latest-small's ratings end in September 2018: a film released after this year cannot be in the shipped
# table, however well known it became (its missing score says nothing about the film).
SHIPPED_LAST_YEAR = 2018


@dataclass(frozen=True, slots=True, eq=False)
class Neighbours:
    """Item-to-item weights over the catalog's rows."""

    weights: sparse.csr_matrix  # n × n: row = a film a person watched, column = a film it points to
    known: np.ndarray  # bool per catalog row: the film has neighbours or is a neighbour
    last_year: int = SHIPPED_LAST_YEAR  # the table's data ends in this year: later films are absent, not obscure

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Σ over the history films of their weights to every catalog film."""
        if len(rows) == 0:
            return np.zeros(self.weights.shape[1])
        return np.asarray(self.weights[rows].sum(axis=0)).ravel()


def from_triples(index: CatalogIndex, sources: np.ndarray, targets: np.ndarray, weights: np.ndarray, *,
                 last_year: int = SHIPPED_LAST_YEAR) -> Neighbours:
    """Neighbours from (film id, neighbour id, weight) triples; films outside the catalog are dropped."""
    pos = index.position
    keep = np.fromiter((int(s) in pos and int(t) in pos for s, t in zip(sources, targets, strict=True)), dtype=bool,
                       count=len(sources))
    rows = np.fromiter((pos[int(s)] for s in sources[keep]), dtype=np.int64)
    cols = np.fromiter((pos[int(t)] for t in targets[keep]), dtype=np.int64)
    n = len(index)
    matrix = sparse.csr_matrix((weights[keep].astype(np.float32), (rows, cols)), shape=(n, n))
    known = np.zeros(n, dtype=bool)
    known[rows] = True
    known[cols] = True
    return Neighbours(matrix, known, last_year)


def fit_ease(histories: Iterable[Sequence[int]], *, lam: float = EASE_LAMBDA, top: int = TOP_NEIGHBOURS,
             min_people: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """EASE on binary "watched" histories (lists of film ids); the `top` strongest positive neighbours per film.

    Returns (film ids, neighbour ids, weights). Films seen by fewer than `min_people` are left out."""
    histories = [list(dict.fromkeys(h)) for h in histories]
    counts: dict[int, int] = {}
    for h in histories:
        for film in h:
            counts[film] = counts.get(film, 0) + 1
    films = np.asarray(sorted(f for f, c in counts.items() if c >= min_people), dtype=np.int64)
    col = {int(f): i for i, f in enumerate(films)}
    rows, cols = [], []
    for person, h in enumerate(histories):
        for film in h:
            if film in col:
                rows.append(person)
                cols.append(col[film])
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(histories), len(films)))
    gram = (x.T @ x).toarray()
    gram[np.diag_indices_from(gram)] += lam
    p = np.linalg.inv(gram)
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    k = min(top, max(len(films) - 1, 1))
    best = np.argpartition(-b, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(b, best, axis=1)
    positive = values > 0
    src = np.repeat(films, k).reshape(len(films), k)[positive]
    return src, films[best][positive], values[positive]


def save(path: Path, sources: np.ndarray, targets: np.ndarray, weights: np.ndarray) -> None:
    np.savez_compressed(path, sources=sources.astype(np.int32), targets=targets.astype(np.int32),
                        weights=weights.astype(np.float16))


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("CINE_COLLABORATIVE", "1").strip().lower() not in {"0", "false", "no", "off"}


_lock = threading.Lock()
_shared: dict[int, Neighbours | None] = {}


def shipped_neighbours(index: CatalogIndex) -> Neighbours | None:
    """The shipped table over `index` (None when switched off or absent), built once per index."""
    if not enabled():
        return None
    key = id(index)
    with _lock:
        if key not in _shared:
            if not NEIGHBOURS_FILE.exists():
                log.warning("No collaborative neighbours file (%s): content-only ranking", NEIGHBOURS_FILE.name)
                return None
            data = np.load(NEIGHBOURS_FILE)
            _shared[key] = from_triples(index, data["sources"], data["targets"], data["weights"].astype(np.float32))
        return _shared[key]
