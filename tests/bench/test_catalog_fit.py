"""The listwise fit behind the catalog ranker's order: it learns which signal puts the watched films on top."""

from __future__ import annotations

import numpy as np

from bench.catalog_fit import fit_listwise
from cine_core.recommend.ranker.features import COLUMN, FEATURES


def groups(seed: int, people: int = 30, candidates: int = 200):
    """Per person, candidates whose closeness decides what they watch; popularity is noise."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(people):
        x = rng.normal(size=(candidates, len(FEATURES))).astype(np.float32)
        watched = np.argsort(-x[:, COLUMN["loved_closeness_log"]])[:5]
        y = np.zeros(candidates, dtype=bool)
        y[watched] = True
        xs.append(x)
        ys.append(y)
    return xs, ys


def test_the_fit_weights_the_signal_that_predicts_what_people_watch():
    xs, ys = groups(1)
    model = fit_listwise(xs, ys, ("popularity", "loved_closeness_log"))
    weights = dict(zip(model.features, model.coef, strict=True))
    assert weights["loved_closeness_log"] > 5 * abs(weights["popularity"])


def test_fitted_weights_put_new_peoples_watched_films_on_top():
    model = fit_listwise(*groups(2), ("popularity", "loved_closeness_log", "quality"))
    xs, ys = groups(3, people=10)
    for x, y in zip(xs, ys, strict=True):
        top = np.argsort(-model.logit(x))[:5]
        assert y[top].sum() >= 4  # the rest is noise the fit was right to weigh a little


def test_people_without_any_watched_candidate_are_left_out_of_the_fit():
    xs, ys = groups(4, people=5)
    ys[0][:] = False  # nothing of this person's future is among the candidates
    model = fit_listwise(xs, ys, ("popularity", "loved_closeness_log"))
    assert np.isfinite(model.coef).all()
