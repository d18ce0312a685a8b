"""People for the whole-catalog protocol (issue 22): MovieLens users and the shared real exports.

One person = one account: every file of one export folder (a Letterboxd ZIP's CSVs, a Trakt folder) is
imported into the same account through the product's import path. A person's history is what they rated
(with the date) and what they watched without stars (with the date). `split` sorts it by date: the earliest
80% is the past, the rest the future.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bench.quality_data import ML_DIR
from cine_core.recommend.ranker.features import HistoryItem

log = logging.getLogger(__name__)

REAL_EXPORTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "real_exports"
# letterboxd_2019 is the same person's older export: one person, one account (the newer one).
REAL_ACCOUNTS = ("letterboxd_2022", "trakt_2026")
PAST_SHARE = 0.8
MIN_HISTORY = 10


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    items: tuple[HistoryItem, ...]  # order = POSIX time of the rating or watch


@dataclass(frozen=True, slots=True)
class Split:
    person: Person
    past: tuple[HistoryItem, ...]
    future: frozenset[int]  # films rated or watched after the cut
    liked: frozenset[int]  # future films rated ≥ 4★
    cut: date


def split(person: Person, share: float = PAST_SHARE, *, end: float | None = None) -> Split | None:
    """Earliest `share` of the dated history = past; the rest (up to the `end` share) = future."""
    items = sorted(person.items, key=lambda h: h.order)
    if len(items) < MIN_HISTORY:
        return None
    cut = int(len(items) * share)
    stop = len(items) if end is None else int(len(items) * end)
    past, future = items[:cut], items[cut:stop]
    past_ids = {h.movie_id for h in past}
    future = [h for h in future if h.movie_id not in past_ids]  # a rewatch is not a discovery
    if not future:
        return None
    when = datetime.fromtimestamp(past[-1].order, UTC).date()
    return Split(person, tuple(past), frozenset(h.movie_id for h in future),
                 frozenset(h.movie_id for h in future if h.rating is not None and h.rating >= 4.0), when)


def cold_split(person: Person) -> Split | None:
    """A new person: the 5 earliest ratings (as Get started asks for), everything after is the future."""
    items = sorted(person.items, key=lambda h: h.order)
    rated = [h for h in items if h.rating is not None]
    if len(rated) < 6:
        return None
    past = rated[:5]
    later = [h for h in items if h.order > past[-1].order and h.movie_id not in {p.movie_id for p in past}]
    if not later:
        return None
    return Split(person, tuple(past), frozenset(h.movie_id for h in later),
                 frozenset(h.movie_id for h in later if h.rating is not None and h.rating >= 4.0),
                 datetime.fromtimestamp(past[-1].order, UTC).date())


def movielens_people(catalog_ids: set[int], ml_dir: Path = ML_DIR) -> list[Person]:
    """MovieLens users as people (their ratings of catalog films, by timestamp)."""
    with open(ml_dir / "links.csv", newline="") as fh:
        to_tmdb = {int(r["movieId"]): int(r["tmdbId"]) for r in csv.DictReader(fh) if r["tmdbId"]}
    users: dict[int, dict[int, HistoryItem]] = {}
    with open(ml_dir / "ratings.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            tmdb = to_tmdb.get(int(r["movieId"]))
            if tmdb in catalog_ids:
                users.setdefault(int(r["userId"]), {})[tmdb] = HistoryItem(tmdb, float(r["rating"]),
                                                                           float(r["timestamp"]))
    return [Person(f"ml-{u}", tuple(items.values())) for u, items in sorted(users.items())]


def is_fit_person(person: Person) -> bool:
    """MovieLens users with an even id fit the weights; odd ones (and real people) are only measured."""
    return person.name.startswith("ml-") and int(person.name[3:]) % 2 == 0


def import_real_people(pool, accounts: tuple[str, ...] = REAL_ACCOUNTS) -> list[tuple[Person, str]]:
    """Import every file of each account folder into one account; (person, user id) per account."""
    from cine_core.db import transaction
    from cine_core.films.catalog_source import shared_catalog_source
    from cine_core.imports.service import import_file

    source = shared_catalog_source()
    out = []
    for account in accounts:
        folder = REAL_EXPORTS / account
        with transaction(pool) as conn:
            user = conn.execute("insert into auth.users (email) values (%s) returning id::text as id",
                                (f"{account}@example.com",)).fetchone()["id"]
        for path in sorted(folder.iterdir()):
            if path.suffix in {".csv", ".json"}:
                import_file(pool, path, user, source=source)
        out.append((Person(account, tuple(load_history(pool, user))), user))
    return out


def load_history(pool, user: str) -> list[HistoryItem]:
    """A person's dated ratings and watches as stored (undated rows are left out: they cannot be split)."""
    from cine_core.db import transaction

    with transaction(pool) as conn:
        rated = conn.execute("select movie_id, rating, rated_at from ratings where user_id = %s", (user,)).fetchall()
        watched = conn.execute("select movie_id, watched_at from watchlist where user_id = %s and watched_at is not"
                               " null", (user,)).fetchall()
    items = {r["movie_id"]: HistoryItem(int(r["movie_id"]), float(r["rating"]), r["rated_at"].timestamp())
             for r in rated if r["rated_at"] is not None}
    for w in watched:
        items.setdefault(w["movie_id"], HistoryItem(int(w["movie_id"]), None, w["watched_at"].timestamp()))
    return list(items.values())
