"""The catalog ranker's fitted weights: a linear model on standardised features, read from `weights.json`.

Two models share the features (`features.FEATURES`):
- `watch`: the log-odds that a person goes on to watch a film, fit on time-split histories (bench.catalog_fit)
  over the candidate stage's films. Its terms are logs of popularity and closeness, so popularity is the base
  a person's closeness multiplies, not a term added at the end.
- `like`: the probability that a person who watches the film rates it 3.5★ or more (fit on the films people
  went on to rate). This is the confidence a card shows: one meaning whichever engine ordered the picks.
The order is watch log-odds + `like_weight` × like log-odds (`like_weight` chosen on the fit people).
Each has a `collaborative` and a `content` variant (the latter without the MovieLens neighbours).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cine_core.recommend.ranker.features import FEATURES

WEIGHTS_FILE = Path(__file__).resolve().parent / "weights.json"


@dataclass(frozen=True, slots=True)
class LinearModel:
    """sigmoid((x - mean) / std · coef + intercept) over `features` (a subset of FEATURES, by name)."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    coef: np.ndarray
    intercept: float

    @property
    def columns(self) -> np.ndarray:
        return np.asarray([FEATURES.index(f) for f in self.features], dtype=np.int64)

    def contributions(self, matrix: np.ndarray) -> np.ndarray:
        """Per film and feature: what the feature added to the log-odds (rows of `matrix` are films)."""
        x = matrix[:, self.columns].astype(np.float64)
        return (x - self.mean) / self.std * self.coef

    def logit(self, matrix: np.ndarray) -> np.ndarray:
        return self.contributions(matrix).sum(axis=1) + self.intercept

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logit(matrix), -30, 30)))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.round(6).tolist(),
                "std": self.std.round(6).tolist(), "coef": self.coef.round(6).tolist(),
                "intercept": round(float(self.intercept), 6)}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(tuple(data["features"]), np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["std"], dtype=np.float64), np.asarray(data["coef"], dtype=np.float64),
                   float(data["intercept"]))


@dataclass(frozen=True, slots=True)
class RankerWeights:
    watch: LinearModel
    like: LinearModel
    candidate_pool: int  # films the candidate stage keeps per person before the watch model orders them
    like_weight: float  # order = watch log-odds + like_weight × like log-odds
    fitted: dict  # what the weights were fit on (for the benchmark report)


def load_weights(path: Path = WEIGHTS_FILE, *, variant: str = "collaborative") -> RankerWeights:
    data = _read(str(path))
    chosen = data["variants"][variant]
    return RankerWeights(LinearModel.from_json(chosen["watch"]), LinearModel.from_json(chosen["like"]),
                         int(data["candidate_pool"]), float(data.get("like_weight", 1.0)), data.get("fitted", {}))


@functools.lru_cache(maxsize=4)
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
