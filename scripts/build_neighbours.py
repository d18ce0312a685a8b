"""Build cine_core/recommend/ranker/data/neighbours.npz: EASE item neighbours from MovieLens ml-latest-small.

    python scripts/build_neighbours.py [--ml-dir DIR]

Every MovieLens user's rated films (any rating: a rating says the person chose to watch it) are one
history; EASE (lambda EASE_LAMBDA) gives item-to-item weights; each film keeps its TOP_NEIGHBOURS strongest
positive neighbours. MovieLens is GroupLens research data (non-commercial): the README says so, and
CINE_COLLABORATIVE=0 switches the table off.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.catalog_people import movielens_people  # noqa: E402
from bench.quality_data import ML_DIR  # noqa: E402
from cine_core.films.catalog import catalog_movies  # noqa: E402
from cine_core.recommend.ranker import collaborative  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ml-dir", type=Path, default=ML_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    people = movielens_people({m.id for m in catalog_movies()}, args.ml_dir)
    src, dst, w = collaborative.fit_ease([h.movie_id for h in p.items] for p in people)
    collaborative.NEIGHBOURS_FILE.parent.mkdir(parents=True, exist_ok=True)
    collaborative.save(collaborative.NEIGHBOURS_FILE, src, dst, w)
    logging.info("Wrote %d neighbour pairs over %d films to %s", len(src), len(set(src.tolist())),
                 collaborative.NEIGHBOURS_FILE)


if __name__ == "__main__":
    main()
