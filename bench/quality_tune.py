"""Tune the local matcher on `--holdout second-last` (never on the test item): coordinate search over
family weights, re-weighting cached per-family scores; profile weighting schemes need a rescoring pass.

    python -m bench.quality_tune [--users N]
    python -m bench.quality_tune --confidence   # refit the confidence map (slope, intercept, global mean/std)
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from bench.quality import confidence_data, evaluate, fit_confidence, local_family_scores, protocol_config
from bench.quality_data import load_dataset, make_cases
from cine_core.recommend.config import SWITCHABLE, MatcherConfig
from cine_core.recommend.features import catalog_feature_space
from cine_core.recommend.local_scorer import LocalMatcher, rank_scores
from cine_core.taste.profile import ProfileConfig

log = logging.getLogger(__name__)

GRID = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
SHARE_GRID = {"prior_popularity": (0.0, 0.25, 0.5, 0.75, 1.0), "popularity_taste": (0.0, 0.25, 0.4, 0.5333, 0.6, 0.8)}
# All-positive schemes ("every film you chose counts") lost to pivot3 on both protocols; recency by rating
# order (last5..last15) beat every clock-based decay on both.
PROFILE_VARIANTS = {
    "pivot3 (last10)": ProfileConfig(),
    "weight=rating": ProfileConfig(pivot=0.0),
    "weight=1": ProfileConfig(pivot=0.0, power=0.0),
    "weight=rating+2.5": ProfileConfig(pivot=0.0, floor=2.5),
    "pivot3+0.25": ProfileConfig(floor=0.25),
    "pivot2.5+0.5": ProfileConfig(pivot=2.5, floor=0.5),
    "pivot3.5": ProfileConfig(pivot=3.5),
    "pivot2.5": ProfileConfig(pivot=2.5),
    "binary>=4": ProfileConfig(pivot=3.5, power=0.0),
    "squared": ProfileConfig(power=2.0),
    "no-decay": ProfileConfig(half_life_ratings=None),
    "decay90": ProfileConfig(half_life_days=90.0, half_life_ratings=None),
    "decay30": ProfileConfig(half_life_days=30.0, half_life_ratings=None),
    "decay1000": ProfileConfig(half_life_days=1000.0, half_life_ratings=None),
    "negatives": ProfileConfig(negative_weight=0.5),
    "last5": ProfileConfig(half_life_ratings=5.0),
    "last15": ProfileConfig(half_life_ratings=15.0),
    "last20": ProfileConfig(half_life_ratings=20.0),
    "last30": ProfileConfig(half_life_ratings=30.0),
    "decay90+last10": ProfileConfig(half_life_days=90.0),
}


def ndcg(cases, families, config, n_items, seed) -> float:
    return evaluate(cases, [rank_scores(f, config) for f in families], n_items, seed)["ndcg@10"]


def coordinate_search(cases, families, config: MatcherConfig, n_items: int, seed: int, rounds: int = 3):
    best = ndcg(cases, families, config, n_items, seed)
    for _ in range(rounds):
        for family in (*SWITCHABLE, "prior_popularity", "popularity_taste"):
            for weight in SHARE_GRID.get(family, GRID):
                trial = dataclasses.replace(config, **{family: weight})
                value = ndcg(cases, families, trial, n_items, seed)
                if value > best + 1e-4:
                    best, config = value, trial
    return best, config


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profiles", nargs="?", const="", default=None,
                        help="compare rating-weighting schemes (optionally only these, comma-separated)")
    parser.add_argument("--year-scales", default="2", help="comma-separated year kernel scales to try")
    parser.add_argument("--protocols", default="trending,uniform")
    parser.add_argument("--confidence", action="store_true", help="fit the confidence map per protocol config")
    args = parser.parse_args(argv)
    dataset, space = load_dataset(), catalog_feature_space()
    n_items = len(dataset.item_ids)
    for protocol in args.protocols.split(","):
        cases = make_cases(dataset, protocol=protocol, holdout="second-last", seed=args.seed, users=args.users)
        base = protocol_config(protocol)
        if args.confidence:  # class-balanced logistic fit of "held-out film" on the within-list z-score
            families = local_family_scores(cases, dataset, LocalMatcher(base, space=space))
            fit = fit_confidence(confidence_data(cases, families, base))
            print(protocol, "confidence", {"confidence_slope": fit["slope"], "confidence_intercept": fit["intercept"],
                                           "score_mean": fit["score_mean"], "score_std": fit["score_std"]}, flush=True)
            continue
        if args.profiles is not None:
            names = args.profiles.split(",") if args.profiles else list(PROFILE_VARIANTS)
            for name, profile in ((n, PROFILE_VARIANTS[n]) for n in names):
                config = dataclasses.replace(base, profile=profile)
                families = local_family_scores(cases, dataset, LocalMatcher(config, space=space))
                print(protocol, name, ndcg(cases, families, config, n_items, args.seed), flush=True)
            continue
        for scale in (float(x) for x in args.year_scales.split(",")):
            config = dataclasses.replace(base, year_scale=scale)
            families = local_family_scores(cases, dataset, LocalMatcher(config, space=space))
            print(protocol, scale, "start", ndcg(cases, families, config, n_items, args.seed), flush=True)
            best, config = coordinate_search(cases, families, config, n_items, args.seed)
            tuned = {f: getattr(config, f) for f in (*SWITCHABLE, "prior_popularity", "popularity_taste")}
            print(protocol, scale, "tuned", best, tuned, flush=True)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    main()
