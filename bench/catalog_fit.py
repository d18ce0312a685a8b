"""Fit the catalog ranker's weights (cine_core/recommend/ranker/weights.json) on time-split histories.

    python -m bench.catalog_fit [--out PATH]

Fit data, never the measured part: MovieLens users with an even id (their earliest 80% → the rest), and the
shared real people's EARLY cuts only (50/60/70% of their history → films up to the 80% cut that the
benchmark measures after). The fit MovieLens users also appear as new people: their first 5 ratings (what Get
started asks for) → the rest, so the order learns how much a thin history should lean on how well known a film is.
The collaborative table used for features is EASE on every MovieLens user's past (80% cut), so no future watch
leaks into a feature. A real person meets a table that ends years before today (the shipped one ends in 2018):
the films of those years are absent from it, not obscure. So each fit MovieLens person is also seen through a
table of everyone's past up to TABLE_LAGS years before their cut (`collaborative_late` marks what it cannot know). Two models per variant (with/without collaborative):
- `watch` orders the candidates: a linear score fit LISTWISE (softmax cross-entropy over each person's 2,000
  candidates, the films they went on to watch as the targets), which optimises the top of one person's list;
  a pointwise logistic fit spent its weights separating the mass of negatives instead (on half of the fit
  people, judged on the other half: NDCG@10 0.164 either way for full histories, 0.544 against 0.420 for
  5-rating ones);
- `like` (rated ≥ 3.5★ given they rated it) is the card's confidence: a logistic model, so a probability.
The order's `like_weight` is the one of LIKE_WEIGHTS with the best NDCG@10 on a sample of the fit people.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from bench.catalog_people import Person, cold_split, is_fit_person, movielens_people, split
from cine_core.recommend.ranker import collaborative
from cine_core.recommend.ranker.features import COLUMN, FEATURES, person_features
from cine_core.recommend.ranker.index import CatalogIndex, catalog_index
from cine_core.recommend.ranker.model import WEIGHTS_FILE, LinearModel, RankerWeights
from cine_core.recommend.ranker.rank import CANDIDATE_WEIGHTS, LIKED_STARS, CatalogRanker

log = logging.getLogger(__name__)

CANDIDATE_POOL = 2000
EARLY_CUTS = (0.5, 0.6, 0.7)
CONTENT_ONLY = tuple(f for f in FEATURES if not f.startswith("collaborative"))
LIKE_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
TUNE_PEOPLE = 120
WATCH_EXCLUDED = ("taste_mean",)  # constant within a person: it cannot order one person's films
LIKE_FEATURES = FEATURES[:FEATURES.index("taste_mean") + 1]  # the confidence's inputs (calibrated, 2026-12-07)
LISTWISE_L2 = 1e-3
# Years between a lagged table's last year and the person's cut, alternating between fit people: a real person
# of 2021 sees the 2018 table 3 years late, one of today 8 years late.
TABLE_LAGS = (3, 6)
LAGGED_TABLE_YEARS = tuple(range(1998, 2017, 3))  # last years of the lagged tables (one EASE fit each)


def past_neighbours(index: CatalogIndex, people: list[Person]) -> collaborative.Neighbours:
    """EASE on every MovieLens person's past (the 80% cut), over the catalog rows."""
    histories = []
    for person in people:
        s = split(person)
        if s is not None:
            histories.append([h.movie_id for h in s.past])
    src, dst, w = collaborative.fit_ease(histories)
    return collaborative.from_triples(index, src, dst, w)


def lagged_neighbours(index: CatalogIndex, people: list[Person], last_year: int) -> collaborative.Neighbours:
    """EASE on every MovieLens person's past (80% cut) rated up to the end of `last_year`."""
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp()
    histories = [[h.movie_id for h in s.past if h.order < end] for p in people if (s := split(p)) is not None]
    src, dst, w = collaborative.fit_ease([h for h in histories if h])
    return collaborative.from_triples(index, src, dst, w, last_year=last_year)


def with_lagged_tables(index, people, splits) -> list[tuple]:
    """(split, lagged table) for each fit person whose cut is late enough to have one."""
    tables = {year: lagged_neighbours(index, people, year) for year in LAGGED_TABLE_YEARS}
    out = []
    for i, s in enumerate(splits):
        for lag in (TABLE_LAGS[i % len(TABLE_LAGS)], TABLE_LAGS[0]):
            years = [y for y in LAGGED_TABLE_YEARS if y <= s.cut.year - lag]
            if years:
                out.append((s, tables[max(years)]))
                break
    return out


def candidate_rows(index: CatalogIndex, matrix: np.ndarray, s, *, collaborative_on: bool) -> np.ndarray:
    allowed = index.eligible & ~(index.years > s.cut.year)
    allowed[index.rows([h.movie_id for h in s.past])] = False
    rows = np.flatnonzero(allowed)
    cheap = sum(w * matrix[rows, COLUMN[f]] for f, w in CANDIDATE_WEIGHTS.items()
                if f != "collaborative" or collaborative_on)
    return rows[np.argpartition(-cheap, CANDIDATE_POOL - 1)[:CANDIDATE_POOL]]


def training_rows(index, neighbours, splits, *, collaborative_on: bool, lagged: list[tuple] = ()):
    """Per person: the candidates' features and which were watched (listwise groups); pooled rated futures
    (the like model's rows come from the full table only: a lagged view of the same person is not a new one)."""
    wx, wy, lx, ly = [], [], [], []
    views = [(s, neighbours, True) for s in splits] + [(s, table, False) for s, table in lagged]
    for s, table, for_like in views:
        feats = person_features(index, s.past, s.cut, table if collaborative_on else None).matrix
        rows = candidate_rows(index, feats, s, collaborative_on=collaborative_on)
        ids = index.ids[rows]
        wx.append(feats[rows])
        wy.append(np.isin(ids, list(s.future)))
        if not for_like:
            continue
        future_rows = index.rows(sorted(s.future))
        ratings = {h.movie_id: h.rating for h in s.person.items}
        rated = [r for r in future_rows if ratings.get(int(index.ids[r])) is not None]
        if rated:
            lx.append(feats[rated])
            ly.append(np.asarray([ratings[int(index.ids[r])] >= LIKED_STARS for r in rated]))
    return wx, wy, np.vstack(lx), np.concatenate(ly)


def fit_listwise(groups: list[np.ndarray], targets: list[np.ndarray], features: tuple[str, ...],
                 l2: float = LISTWISE_L2) -> LinearModel:
    """Weights w maximising, per person, the mean log softmax(x·w) of the candidates they went on to watch."""
    cols = [FEATURES.index(f) for f in features]
    kept = [(x[:, cols].astype(np.float64), y) for x, y in zip(groups, targets, strict=True) if y.any()]
    stacked = np.vstack([x for x, _ in kept])
    mean, std = stacked.mean(axis=0), stacked.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    kept = [((x - mean) / std, y) for x, y in kept]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, y in kept:
            s = x @ w
            top = s.max()
            p = np.exp(s - top)
            z = p.sum()
            total -= s[y].mean() - top - np.log(z)
            grad -= x[y].mean(axis=0) - (p / z) @ x
        return total / len(kept) + l2 * w @ w, grad / len(kept) + 2 * l2 * w

    result = minimize(loss, np.zeros(len(cols)), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return LinearModel(features, mean, std, result.x, 0.0)


def fit_linear(x: np.ndarray, y: np.ndarray, features: tuple[str, ...], c: float = 1.0) -> LinearModel:
    cols = [FEATURES.index(f) for f in features]
    x = x[:, cols].astype(np.float64)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / std, y)
    return LinearModel(features, mean, std, model.coef_[0], float(model.intercept_[0]))


def choose_like_weight(index, neighbours, variant: dict, splits) -> float:
    """The LIKE_WEIGHTS value with the best mean of NDCG@10 over all future films and over the future films
    rated 4★ or more, on a sample of the fit people: a pick is a film one will watch AND like."""
    from bench.catalog_protocol import ndcg

    weights = RankerWeights(LinearModel.from_json(variant["watch"]), LinearModel.from_json(variant["like"]),
                            CANDIDATE_POOL, 1.0, {})
    ranker = CatalogRanker(index, neighbours=neighbours, weights=weights)
    sample = [s for s in splits if s.person.name.startswith("ml-")][:TUNE_PEOPLE]
    best = (-1.0, 1.0)
    for like_weight in LIKE_WEIGHTS:
        ranker.like_weight = like_weight
        orders = [[f.movie_id for f in ranker.rank(list(s.past), reference=s.cut, released_by=s.cut, limit=10)]
                  for s in sample]
        watched = float(np.mean([ndcg(o, s.future) for o, s in zip(orders, sample, strict=True)]))
        liked = float(np.mean([ndcg(o, s.liked) for o, s in zip(orders, sample, strict=True) if s.liked]))
        score = (watched + liked) / 2
        log.info("like weight %.2f: NDCG@10 %.4f (all), %.4f (liked) on %d fit people", like_weight, watched,
                 liked, len(sample))
        best = max(best, (score, like_weight))
    return best[1]


def fit(real: list[Person], out: Path = WEIGHTS_FILE, dump: Path | None = None) -> dict:
    started = time.perf_counter()
    index = catalog_index()
    ml = movielens_people(set(index.position))
    neighbours = past_neighbours(index, ml)
    splits = [s for p in ml if is_fit_person(p) and (s := split(p)) is not None]
    splits += [s for p in ml if is_fit_person(p) and (s := cold_split(p)) is not None]
    splits += [s for p in real for cut in EARLY_CUTS if (s := split(p, cut, end=0.8)) is not None]
    lagged = with_lagged_tables(index, ml, [s for s in splits if s.person.name.startswith("ml-")
                                            and len(s.past) > 5])
    log.info("%d fit people also seen through a table ending %s years before their cut", len(lagged), TABLE_LAGS)
    variants = {}
    for name, features in (("collaborative", FEATURES), ("content", CONTENT_ONLY)):
        on = name == "collaborative"
        wx, wy, lx, ly = training_rows(index, neighbours, splits, collaborative_on=on, lagged=lagged if on else [])
        if dump is not None:  # the listwise groups, to try other learners without rebuilding features
            np.savez(dump.with_name(f"{dump.stem}-{name}.npz"), x=np.vstack(wx), y=np.concatenate(wy),
                     sizes=np.asarray([len(y) for y in wy]), people=np.asarray(
                         [s.person.name for s in splits] + [s.person.name for s, _ in (lagged if on else [])]),
                     lx=lx, ly=ly)
        watch = fit_listwise(wx, wy, tuple(f for f in features if f not in WATCH_EXCLUDED))
        like = fit_linear(lx, ly, tuple(f for f in features if f in LIKE_FEATURES))
        variants[name] = {"watch": watch.to_json(), "like": like.to_json(),
                          "rows": {"watch": int(sum(len(y) for y in wy)), "watched": int(sum(y.sum() for y in wy)),
                                   "like": int(len(ly)),
                                   "liked": int(ly.sum())}}
    like_weight = choose_like_weight(index, neighbours, variants["collaborative"], splits)
    result = {"candidate_pool": CANDIDATE_POOL, "like_weight": like_weight, "variants": variants,
              "fitted": {"at": datetime.now(UTC).strftime("%Y-%m-%d"), "people": len(splits),
                         "movielens_fit_users": sum(is_fit_person(p) for p in ml),
                         "lagged_views": len(lagged), "table_lag_years": list(TABLE_LAGS),
                         "real_early_cuts": [p.name for p in real], "seconds": round(time.perf_counter() - started, 1)}}
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    log.info("Wrote %s in %.0f s", out, time.perf_counter() - started)
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--dump", type=Path, help="also save the training groups (PATH-<variant>.npz)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from bench.bench_db import bench_database
    from bench.catalog_people import import_real_people
    from cine_core.db import open_pool

    with bench_database() as url:
        pool = open_pool(url, max_size=2, name="bench-fit")
        try:
            real = [p for p, _ in import_real_people(pool)]
        finally:
            pool.close()
    return fit(real, args.out, args.dump)


if __name__ == "__main__":
    main()
