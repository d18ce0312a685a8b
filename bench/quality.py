"""Recommendation quality on MovieLens (issue 7): leave-one-out, `uniform` (100 negatives) or `trending`
(19 popularity-weighted negatives); HR@5, HR@10, NDCG@10, coverage@10; baselines, ablations, calibration.

    python -m bench.quality --protocol trending [--users N] [--seed 7] [--holdout last|second-last] [--json]

The local matcher sees what the app sees: `build_profile(train)` -> `LocalMatcher.score`, on catalog films.
Ablations re-weight the same per-family scores (`rank_scores`), so they cost no extra scoring pass.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np

from bench.baselines import ItemKNNScorer, RandomScorer, TopPopScorer, training_interactions
from bench.quality_data import Case, Dataset, load_dataset, make_cases
from cine_core.recommend.config import CATALOG_MATCHER_CONFIG, PROTOCOL_SOURCE, MatcherConfig, config_for_source
from cine_core.recommend.features import FeatureSpace, catalog_feature_space
from cine_core.recommend.local_scorer import (
    LocalMatcher,
    confidences,
    rank_scores,
    standardise,
)
from cine_core.recommend.signals import FamilyScores
from cine_core.taste.store import build_profile

log = logging.getLogger(__name__)

DEFAULT_SEED = 7
CALIBRATION_ITEMS = 5  # each user's most recent training ratings, scored from a profile without them
ABLATIONS = ("genre", "keyword", "person", "text", "decade", "year", "similar", "prior")
METRICS = ("hr@5", "hr@10", "ndcg@10", "coverage@10")


def protocol_config(protocol: str) -> MatcherConfig:
    """Exactly what the scout runs on such candidates: `config_for_source` of a trending list (`trending`) or
    of a catalog-wide source such as similar/discover (`uniform`)."""
    return config_for_source(PROTOCOL_SOURCE[protocol])


def local_family_scores(cases: Sequence[Case], dataset: Dataset, matcher: LocalMatcher) -> list[FamilyScores]:
    """The app's path per user: ratings -> build_profile -> LocalMatcher.score (candidates in case order)."""
    out = []
    for case in cases:
        profile = build_profile(case.train, config=matcher.config.profile)
        films = [dataset.movies[int(i)] for i in case.candidates]
        scored, families, _ = matcher.score(profile=profile, rated=case.train, candidates=films)
        assert [m.id for m in scored] == case.candidates.tolist(), "matcher dropped or reordered candidates"
        out.append(families)
    return out


def evaluate(cases: Sequence[Case], scores: Sequence[np.ndarray], item_count: int, seed: int) -> dict[str, float]:
    """Rank of the held-out film (index 0) in each case; ties broken by a seeded shuffle shared by all methods."""
    rng = np.random.default_rng(seed + 2)
    hits5 = hits10 = ndcg = 0.0
    shown: set[int] = set()
    for case, s in zip(cases, scores, strict=True):
        order = np.lexsort((rng.random(len(s)), -np.asarray(s, dtype=np.float64)))
        rank = int(np.flatnonzero(order == 0)[0])
        hits5 += rank < 5
        hits10 += rank < 10
        ndcg += 1.0 / math.log2(rank + 2) if rank < 10 else 0.0
        shown.update(case.candidates[order[:10]].tolist())
    n = max(len(cases), 1)
    return {"hr@5": round(hits5 / n, 4), "hr@10": round(hits10 / n, 4), "ndcg@10": round(ndcg / n, 4),
            "coverage@10": round(len(shown) / item_count, 4)}


def _deciles(conf: np.ndarray) -> np.ndarray:
    """Ten equal-count bins by confidence (ties, e.g. floored confidences, split in a fixed order)."""
    ranks = np.empty(len(conf), dtype=np.int64)
    ranks[np.argsort(conf, kind="stable")] = np.arange(len(conf))
    return ranks * 10 // max(len(conf), 1)


def rating_calibration(cases: Sequence[Case], dataset: Dataset, matcher: LocalMatcher) -> dict:
    """Mean actual rating per confidence decile, on ratings the profile did not see: each user's last
    CALIBRATION_ITEMS training films, scored within the case's negatives (a list like the app's)."""
    confidences_, ratings = [], []
    for case in cases:
        history, hidden = case.train[:-CALIBRATION_ITEMS], case.train[-CALIBRATION_ITEMS:]
        profile = build_profile(history, config=matcher.config.profile)
        films = [r.movie for r in hidden] + [dataset.movies[int(i)] for i in case.candidates[1:]]
        scored, families, raw = matcher.score(profile=profile, rated=history, candidates=films)
        assert [m.id for m in scored[:len(hidden)]] == [r.movie.id for r in hidden]
        conf = confidences(raw, families.has_metadata, len(history), matcher.config)
        confidences_.extend(conf[:len(hidden)].tolist())
        ratings.extend(r.rating for r in hidden)
    conf, actual = np.asarray(confidences_), np.asarray(ratings)
    bins = _deciles(conf)
    deciles = [
        {"decile": d + 1, "n": int((bins == d).sum()), "mean_confidence": round(float(conf[bins == d].mean()), 3),
         "mean_rating": round(float(actual[bins == d].mean()), 3),
         "liked_share": round(float((actual[bins == d] >= 4.0).mean()), 3)}
        for d in range(10) if (bins == d).any()
    ]
    return {"pairs": len(actual), "deciles": deciles, "liked_share": round(float((actual >= 4.0).mean()), 3)}


def confidence_data(cases: Sequence[Case], families: Sequence[FamilyScores], config: MatcherConfig) -> dict:
    """Per candidate of every case: z within its list, label (held-out film), balanced weight, confidence."""
    z, label, weight, conf, means, variances = [], [], [], [], [], []
    for case, f in zip(cases, families, strict=True):
        raw, known = rank_scores(f, config), f.has_metadata.astype(bool)
        z.append(standardise(raw, known, config))
        label.append(np.arange(len(raw)) == 0)
        weight.append(np.where(label[-1], 1.0, 1.0 / max(len(raw) - 1, 1)))  # both classes weigh the same
        conf.append(confidences(raw, known, len(case.train), config))
        if known.sum() > 1:
            means.append(raw[known].mean())
            variances.append(raw[known].var())
    return {"z": np.concatenate(z), "label": np.concatenate(label), "weight": np.concatenate(weight),
            "confidence": np.concatenate(conf), "score_mean": float(np.mean(means)),
            "score_std": float(np.sqrt(np.mean(variances)))}


def fit_confidence(data: dict) -> dict:
    """Class-balanced logistic regression of "the held-out film" on z: the confidence's slope/intercept."""
    from sklearn.linear_model import LogisticRegression  # only the benchmark fits the confidence

    fit = LogisticRegression(C=1e6).fit(data["z"].reshape(-1, 1), data["label"], sample_weight=data["weight"])
    return {"slope": round(float(fit.coef_[0][0]), 3), "intercept": round(float(fit.intercept_[0]), 3),
            "score_mean": round(data["score_mean"], 4), "score_std": round(data["score_std"], 4)}


def ranking_calibration(cases: Sequence[Case], families: Sequence[FamilyScores], config: MatcherConfig) -> dict:
    """Per confidence decile over all candidates: mean confidence against the balanced rate of held-out
    films (negatives weighted 1/#negatives) — what the confidence claims to be."""
    data = confidence_data(cases, families, config)
    conf, y, w = data["confidence"], data["label"], data["weight"]
    bins = _deciles(conf)
    deciles = [
        {"decile": d + 1, "n": int(m.sum()), "held_out": int(y[m].sum()),
         "mean_confidence": round(float(conf[m].mean()), 3),
         "balanced_rate": round(float((w[m] * y[m]).sum() / w[m].sum()), 3)}
        for d in range(10) if (m := bins == d).any()
    ]
    used = {"slope": config.confidence_slope, "intercept": config.confidence_intercept,
            "score_mean": config.score_mean, "score_std": config.score_std, "evidence_k": config.evidence_k}
    return {"candidates": len(conf), "deciles": deciles, "fit": fit_confidence(data), "config": used,
            "at_least_0.7": round(float((conf >= 0.7).mean()), 4)}


def calibration_table(cases: Sequence[Case], dataset: Dataset, matcher: LocalMatcher,
                      families: Sequence[FamilyScores]) -> dict:
    return rating_calibration(cases, dataset, matcher) | {
        "ranking": ranking_calibration(cases, families, matcher.config)}


def run(
    *, protocol: str, seed: int = DEFAULT_SEED, users: int | None = None, holdout: str = "last",
    dataset: Dataset | None = None, space: FeatureSpace | None = None, calibration: bool = True,
) -> dict:
    started = time.perf_counter()
    dataset = dataset or load_dataset()
    space = space or catalog_feature_space()
    cases = make_cases(dataset, protocol=protocol, holdout=holdout, seed=seed, users=users)
    interactions = training_interactions(dataset, cases)
    baselines: dict[str, Callable[[Case], np.ndarray]] = {
        "random": RandomScorer(seed), "toppop": TopPopScorer(interactions),
        "itemknn": ItemKNNScorer(interactions, dataset.item_ids),
    }
    config = protocol_config(protocol)
    matcher = LocalMatcher(config, space=space)
    families = local_family_scores(cases, dataset, matcher)
    variants = {"local": config, "local (prior 0)": config.with_prior(0.0),
                "local (catalog prior)": config.with_prior(CATALOG_MATCHER_CONFIG.prior)}
    variants |= {f"local without {f}": config.without(f) for f in ABLATIONS}
    n_items = len(dataset.item_ids)
    methods = {name: evaluate(cases, [fn(c) for c in cases], n_items, seed) for name, fn in baselines.items()}
    methods |= {name: evaluate(cases, [rank_scores(f, cfg) for f in families], n_items, seed)
                for name, cfg in variants.items()}
    result = {"protocol": protocol, "seed": seed, "users": len(cases), "holdout": holdout,
              "items": n_items, "candidates": len(cases[0].candidates) if cases else 0, "methods": methods}
    if calibration:
        result["calibration"] = calibration_table(cases, dataset, matcher, families)
    result["seconds"] = round(time.perf_counter() - started, 1)
    log.info("quality %s: %d users in %.1fs", protocol, len(cases), result["seconds"])
    return result


def markdown(result: dict) -> str:
    """The result as markdown tables (methods, then calibration)."""
    if result.get("benchmark") == "catalog_protocol":  # --protocol catalog: the whole-catalog ranking
        from bench import catalog_protocol

        return catalog_protocol.markdown(result)
    lines = [f"### Quality — `{result['protocol']}` protocol, holdout `{result['holdout']}`, "
             f"{result['users']} users, {result['candidates']} candidates each, seed {result['seed']}", "",
             "| method | HR@5 | HR@10 | NDCG@10 | coverage@10 |", "|---|---:|---:|---:|---:|"]
    for name, m in result["methods"].items():
        lines.append(f"| {name} | " + " | ".join(f"{m[k]:.3f}" for k in METRICS) + " |")
    calib = result.get("calibration")
    if calib:
        lines += ["", f"Calibration of `local` confidence on {calib['pairs']} held-out ratings (each user's last "
                      f"{CALIBRATION_ITEMS} training films, scored within the case's negatives):", "",
                  "| decile | n | mean confidence | mean actual rating | share rated ≥ 4 |", "|---:|---:|---:|---:|---:|"]
        lines += [f"| {d['decile']} | {d['n']} | {d['mean_confidence']:.3f} | {d['mean_rating']:.2f} | "
                  f"{d['liked_share']:.2f} |" for d in calib["deciles"]]
        rank = calib["ranking"]
        fit, used = rank["fit"], rank["config"]
        lines += ["", f"Confidence vs the held-out film over all {rank['candidates']} candidates (balanced: negatives "
                      f"weigh 1/#negatives); config slope {used['slope']}, intercept {used['intercept']}, "
                      f"mean {used['score_mean']}, std {used['score_std']}, k {used['evidence_k']}; this run's fit: "
                      f"slope {fit['slope']}, intercept {fit['intercept']}, mean {fit['score_mean']}, "
                      f"std {fit['score_std']}; share ≥ 0.7: {rank['at_least_0.7']:.3f}", "",
                  "| decile | n | held-out films | mean confidence | balanced held-out rate |",
                  "|---:|---:|---:|---:|---:|"]
        lines += [f"| {d['decile']} | {d['n']} | {d['held_out']} | {d['mean_confidence']:.3f} | "
                  f"{d['balanced_rate']:.3f} |" for d in rank["deciles"]]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    parser.add_argument("--protocol", choices=("uniform", "trending"), default="trending")
    parser.add_argument("--users", type=int, default=None, help="only the first N eligible users (quick run)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--holdout", choices=("last", "second-last"), default="last")
    parser.add_argument("--no-calibration", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict:
    argv = list(argv if argv is not None else sys.argv[1:])
    if "catalog" in argv and "--protocol" in argv:  # MovieLens users, whole catalog, time-split, end to end
        from bench import catalog_protocol

        rest = [a for a in argv if a not in ("--protocol", "catalog")]
        return catalog_protocol.main(["--people", "movielens", *rest])
    args = parse_args(argv)
    result = run(protocol=args.protocol, seed=args.seed, users=args.users, holdout=args.holdout,
                 calibration=not args.no_calibration)
    print(json.dumps(result) if args.json else markdown(result))
    return result


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    main()
