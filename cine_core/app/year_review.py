"""A year in review from the diary: films per month, hours watched, decades, countries, languages, top-rated
of the year.

Counted from the diary's watches of that year (a rewatch is a watch; "films" counts distinct films). Countries
are the films' production countries (cine_core.app._film_countries: known for most catalog films, not all, so
the page says of how many watches); a film made by two countries counts for both.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.app._film_countries import film_countries
from cine_core.app.diary import Watch, list_watches
from cine_core.db import user_transaction

log = logging.getLogger(__name__)

TOP_RATED = 10


@dataclass(frozen=True, slots=True)
class YearInReview:
    year: int
    watches: int
    films: int  # distinct films
    rewatches: int
    per_month: tuple[int, ...]  # watches in January..December
    minutes: int  # runtime of every watch whose film has a known runtime
    without_runtime: int  # watches of films whose runtime is unknown (not in `minutes`)
    decades: tuple[tuple[int, int], ...]  # (decade, watches), oldest first
    countries: tuple[tuple[str, int], ...]  # (ISO 3166-1 code, watches), most first
    without_country: int  # watches of films whose production countries are unknown
    languages: tuple[tuple[str, int], ...]  # (ISO 639-1 code, watches), most first
    top_rated: tuple[Watch, ...]  # best rating given that year, one per film

    @property
    def hours(self) -> float:
        return self.minutes / 60


def load_year_in_review(pool: ConnectionPool, user_id: str, year: int) -> YearInReview:
    """The Taste page's year in review, read in its own user transaction."""
    with user_transaction(pool, user_id) as conn:
        return year_in_review(conn, user_id, year)


def year_in_review(conn: psycopg.Connection, user_id: str, year: int) -> YearInReview:
    watches = list_watches(conn, user_id, date(year, 1, 1), date(year + 1, 1, 1))
    return summarize_year(year, watches)


def summarize_year(year: int, watches: list[Watch]) -> YearInReview:
    per_month = [0] * 12
    for watch in watches:
        per_month[watch.watched_on.month - 1] += 1
    timed = [w.movie.runtime for w in watches if w.movie.runtime]
    decades = Counter(w.movie.decade for w in watches if w.movie.decade)
    languages = Counter(w.movie.original_language for w in watches if w.movie.original_language)
    made_in = [film_countries(w.movie.id) for w in watches]
    countries = Counter(code for codes in made_in for code in codes)
    best: dict[int, Watch] = {}
    for watch in watches:
        rating = _rating(watch)
        if rating is None:
            continue
        kept = best.get(watch.movie.id)
        if kept is None or rating > (_rating(kept) or 0):
            best[watch.movie.id] = watch
    top = sorted(best.values(), key=lambda w: (-(_rating(w) or 0), w.watched_on, w.movie.title))[:TOP_RATED]
    return YearInReview(
        year=year, watches=len(watches), films=len({w.movie.id for w in watches}),
        rewatches=sum(1 for w in watches if w.is_rewatch), per_month=tuple(per_month),
        minutes=sum(timed), without_runtime=len(watches) - len(timed),
        decades=tuple(sorted(decades.items())), countries=tuple(countries.most_common()),
        without_country=sum(1 for codes in made_in if not codes), languages=tuple(languages.most_common()),
        top_rated=tuple(top),
    )


def _rating(watch: Watch) -> float | None:
    """The rating given with that watch, else the film's rating now."""
    return watch.rating if watch.rating is not None else watch.current_rating
