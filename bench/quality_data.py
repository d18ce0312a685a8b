"""MovieLens ml-latest-small joined to the app's own catalog, and the leave-one-out cases of issue 7.

MovieLens is for research only: it is read here, in the benchmark, and never shipped. Films are the
app's catalog films (`catalog_movies()`, via links.csv tmdbId), so the profile and matcher see
exactly what the app would; ratings of films the catalog lacks are dropped (~6% of ratings).
"""

from __future__ import annotations

import csv
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from cine_core.domain.models import Movie, RatedMovie
from cine_core.films.catalog import catalog_movies

log = logging.getLogger(__name__)

ML_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "ml-latest-small"
MIN_RATINGS = 10
LIKED = 4.0
NEGATIVES = {"uniform": 100, "trending": 19}


@dataclass(frozen=True, slots=True)
class Rating:
    movie_id: int  # TMDB id
    rating: float
    timestamp: int


@dataclass(frozen=True, slots=True)
class Dataset:
    movies: dict[int, Movie]  # catalog films that MovieLens users rated
    users: dict[int, list[Rating]]  # oldest first, ties broken by id
    item_ids: np.ndarray  # the item universe: rated catalog films, sorted


@dataclass(frozen=True, slots=True)
class Case:
    user: int
    train: list[RatedMovie]  # oldest first
    heldout: int
    heldout_rating: float
    candidates: np.ndarray  # held-out film first, then the negatives


def load_dataset(ml_dir: Path = ML_DIR) -> Dataset:
    catalog = {m.id: m for m in catalog_movies()}
    with open(ml_dir / "links.csv", newline="") as fh:
        to_tmdb = {int(r["movieId"]): int(r["tmdbId"]) for r in csv.DictReader(fh) if r["tmdbId"]}
    users: dict[int, dict[int, Rating]] = defaultdict(dict)
    with open(ml_dir / "ratings.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            tmdb = to_tmdb.get(int(r["movieId"]))
            if tmdb in catalog:  # two ML ids can map to one TMDB id: keep the later rating
                users[int(r["userId"])][tmdb] = Rating(tmdb, float(r["rating"]), int(r["timestamp"]))
    ordered = {u: sorted(rs.values(), key=lambda x: (x.timestamp, x.movie_id)) for u, rs in users.items()}
    item_ids = np.asarray(sorted({x.movie_id for rs in ordered.values() for x in rs}), dtype=np.int64)
    log.info("MovieLens: %d users, %d catalog films rated", len(ordered), len(item_ids))
    return Dataset(movies={i: catalog[i] for i in item_ids.tolist()}, users=ordered, item_ids=item_ids)


def rated_movie(dataset: Dataset, r: Rating) -> RatedMovie:
    return RatedMovie(dataset.movies[r.movie_id], r.rating, datetime.fromtimestamp(r.timestamp, UTC), "app")


def split_user(ratings: list[Rating], holdout: str) -> tuple[list[Rating], Rating] | None:
    """Held-out rating and training ratings; `second-last` also drops the last liked film (the test item)."""
    liked = [i for i, r in enumerate(ratings) if r.rating >= LIKED]
    position = {"last": 1, "second-last": 2}[holdout]
    if len(ratings) < MIN_RATINGS or len(liked) < position:
        return None
    hidden = set(liked[-position:])
    target = ratings[liked[-position]]
    return [r for i, r in enumerate(ratings) if i not in hidden], target


def make_cases(dataset: Dataset, *, protocol: str, holdout: str, seed: int, users: int | None = None) -> list[Case]:
    """The same users, targets and negatives for every method (one RNG stream per protocol + seed)."""
    rng = np.random.default_rng(seed)
    popularity = Counter(r.movie_id for rs in dataset.users.values() for r in rs)
    items = dataset.item_ids
    weights = np.asarray([popularity[i] for i in items.tolist()], dtype=np.float64)
    cases = []
    for user in sorted(dataset.users):
        split = split_user(dataset.users[user], holdout)
        if split is None:
            continue
        train, target = split
        seen = {r.movie_id for r in dataset.users[user]}
        allowed = np.asarray([i not in seen for i in items.tolist()])
        count = NEGATIVES[protocol]
        if protocol == "uniform":
            negatives = rng.choice(items[allowed], size=count, replace=False)
        else:
            p = weights * allowed
            negatives = rng.choice(items, size=count, replace=False, p=p / p.sum())
        cases.append(Case(
            user=user,
            train=[rated_movie(dataset, r) for r in train],
            heldout=target.movie_id,
            heldout_rating=target.rating,
            candidates=np.concatenate([[target.movie_id], negatives]).astype(np.int64),
        ))
        if users is not None and len(cases) >= users:
            break
    return cases
