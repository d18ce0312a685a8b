"""Genres for films whose sources give none, inferred from their keywords and overview (scripts/build_catalog.py).

One logistic regression per TMDB genre over TF-IDF features (keywords as whole tags, overview words and pairs,
the original language), trained on the catalog's own films that have TMDB genres. Each genre's threshold is the
one with the best F0.5 on a held-out fifth (precision counts double: a wrong genre misleads more than a missing one); a film gets every genre over its threshold, or its single likeliest one.
Such films carry `"genres_inferred": true` in the catalog file.
"""

from __future__ import annotations

import logging
import random

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

log = logging.getLogger(__name__)

MAX_GENRES = 3
HELD_OUT = 0.2
BETA = 0.5


def _keyword_text(film: dict) -> list[str]:
    return [k.lower() for k in film.get("keywords") or ()] + [f"lang:{film.get('original_language') or '?'}"]


class GenreModel:
    def __init__(self) -> None:
        self.keywords = TfidfVectorizer(analyzer=lambda tags: tags, min_df=2, sublinear_tf=True)
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_features=200_000, stop_words="english",
                                     sublinear_tf=True)
        self.genres: list[str] = []
        self.models: list[LogisticRegression] = []
        self.thresholds: list[float] = []
        self.held_out_f1 = 0.0

    def _features(self, films: list[dict], *, fit: bool = False):
        tags = [_keyword_text(f) for f in films]
        text = [f.get("overview") or "" for f in films]
        if fit:
            return hstack([self.keywords.fit_transform(tags), self.words.fit_transform(text)]).tocsr()
        return hstack([self.keywords.transform(tags), self.words.transform(text)]).tocsr()

    def fit(self, films: list[dict], seed: int = 7) -> GenreModel:
        """Train on films with genres and something to read; thresholds from a held-out fifth, then refit on all."""
        films = [f for f in films if f.get("genres") and (f.get("keywords") or f.get("overview"))]
        self.genres = sorted({g for f in films for g in f["genres"]})
        order = list(range(len(films)))
        random.Random(seed).shuffle(order)
        cut = int(len(order) * (1 - HELD_OUT))
        train, test = [films[i] for i in order[:cut]], [films[i] for i in order[cut:]]
        x_train, x_test = self._features(train, fit=True), self._features(test)
        truth = np.array([[g in f["genres"] for g in self.genres] for f in test])
        scores = np.column_stack([self._model(x_train, train, g).predict_proba(x_test)[:, 1] for g in self.genres])
        self.thresholds = [_best_threshold(scores[:, j], truth[:, j]) for j in range(len(self.genres))]
        predicted = self._decide(scores)
        tp = (predicted & truth).sum()
        self.held_out_f1 = float(2 * tp / (predicted.sum() + truth.sum()))
        log.info("genre inference: %d training films, held-out micro F1 %.3f (precision %.3f, recall %.3f)",
                 len(films), self.held_out_f1, tp / predicted.sum(), tp / truth.sum())
        x_all = self._features(films, fit=True)
        self.models = [self._model(x_all, films, g) for g in self.genres]
        return self

    @staticmethod
    def _model(x, films: list[dict], genre: str) -> LogisticRegression:
        y = np.array([genre in f["genres"] for f in films])
        return LogisticRegression(C=4.0, max_iter=400, solver="liblinear").fit(x, y)

    def _decide(self, scores: np.ndarray) -> np.ndarray:
        chosen = scores >= np.array(self.thresholds)
        margin = scores / np.array(self.thresholds)
        for row in range(len(scores)):
            keep = np.argsort(-margin[row])[:MAX_GENRES]
            mask = np.zeros(len(self.genres), dtype=bool)
            mask[keep] = True
            chosen[row] &= mask
            if not chosen[row].any():
                chosen[row, keep[0]] = True
        return chosen

    def predict(self, films: list[dict]) -> list[list[str]]:
        if not films:
            return []
        x = self._features(films)
        scores = np.column_stack([m.predict_proba(x)[:, 1] for m in self.models])
        chosen = self._decide(scores)
        return [[g for g, on in sorted(zip(self.genres, row, strict=True), key=lambda gs: -scores[i][self.genres.index(gs[0])])
                 if on] for i, row in enumerate(chosen)]


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.1, 0.9, 0.025):
        predicted = scores >= threshold
        tp = (predicted & truth).sum()
        f_beta = (1 + BETA**2) * tp / max(1, predicted.sum() + BETA**2 * truth.sum())
        if f_beta > best_f1:
            best, best_f1 = float(threshold), f_beta
    return best
