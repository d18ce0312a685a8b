"""The other titles and release years of catalog films (cine_core/films/data/title_aliases.json.gz), for matching
import rows: TMDB's older titles ('Sympathy for Lady Vengeance' for 'Lady Vengeance') and IMDb's start year when
it is not TMDB's (You're Next: 2011, TMDB 2013). Built by scripts/build_title_aliases.py from TMDB-derived files.

An alias year counts as the film's year exactly (no ±1 around it): it is the film's other date, not a guess.
Pure: no database.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cine_core.memory import process_wide

log = logging.getLogger(__name__)

ALIASES_FILE = Path(__file__).resolve().parent / "data" / "title_aliases.json.gz"
MAX_YEAR_GAP = 2  # an other release year further than this from TMDB's is a re-release, not the film's first year


@dataclass(frozen=True, slots=True)
class Aliases:
    """A film's other titles and other release years."""

    titles: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


NONE = Aliases()


def in_year_window(year: int | None, other_years: tuple[int, ...], wanted: int) -> bool:
    """A row's year fits a film of `year` (± 1: festival and release dates) or exactly one of its other years."""
    return (year is not None and abs(year - wanted) <= 1) or wanted in other_years


def read_aliases(path: Path = ALIASES_FILE) -> dict[int, Aliases]:
    """{film id: Aliases} of an aliases file; {} (logged) when there is none."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            films = json.load(fh)["films"]
    except FileNotFoundError:
        log.warning("No title aliases file at %s: import rows match by the catalog's own titles only", path)
        return {}
    return {int(movie_id): Aliases(tuple(f.get("titles", ())), tuple(int(y) for y in f.get("years", ())))
            for movie_id, f in films.items()}


@process_wide
def title_aliases() -> Mapping[int, Aliases]:
    """The bundled aliases, read once per process."""
    return read_aliases()
