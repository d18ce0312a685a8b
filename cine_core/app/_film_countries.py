"""Each catalog film's production countries (ISO 3166-1 codes), for the year in review: the catalog's rows
have none, so a table built from the same TMDB-derived files ships beside this module
(data/film_countries.json.gz, by scripts/build_film_countries.py; 36,041 of the catalog's 43,741 films)."""

from __future__ import annotations

import gzip
import json
import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

TABLE = Path(__file__).with_name("data") / "film_countries.json.gz"


@cache
def _table() -> dict[int, tuple[str, ...]]:
    try:
        with gzip.open(TABLE, "rt", encoding="utf-8") as source:
            body = json.load(source)
    except (OSError, ValueError):  # a missing or broken table: the year in review shows no countries
        log.warning("No film countries table at %s", TABLE, exc_info=True)
        return {}
    return {int(k): tuple(v.split()) for k, v in body["countries"].items()}


def film_countries(movie_id: int) -> tuple[str, ...]:
    """The film's production countries, most credited first; () when unknown."""
    return _table().get(int(movie_id), ())
