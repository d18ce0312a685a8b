"""The Library's lists one page at a time: the watchlist and the rating history, searched, filtered and sorted in
Postgres, so a 5,000-film watchlist costs the page what a 25-film one does.

Same contract as dashboard.py: a connection from `db.user_transaction` AND an explicit user_id filter. The SQL
lives in `library.sql`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg

from cine_core.app.dashboard import Card
from cine_core.db import load_sql
from cine_core.domain.models import RatedMovie
from cine_core.films.rows import row_to_movie

PAGE_SIZE = 25
# Folding for "search within": the accented letters of the Latin alphabets people type without accents.
ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõøōúùûüūñçýÿšžčćđłßźżńś"
PLAIN = "aaaaaaaeeeeeiiiiiooooooouuuuuncyyszccdlszzns"
WATCHLIST_SORTS = {"added_new": "Newest added", "added_old": "Oldest added", "title": "Title A–Z",
                   "year_new": "Newest films", "year_old": "Oldest films", "popular": "Best known"}
WATCHLIST_STATUSES = {"to_watch": "To watch", "watched": "Watched", "all": "All"}
RATING_SORTS = {"newest": "Newest rated", "oldest": "Oldest rated", "best": "Highest rated",
                "worst": "Lowest rated", "title": "Title A–Z", "year_new": "Newest films"}

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """One page of a filtered list: its items, where it starts and how long the whole filtered list is."""

    items: tuple[Item, ...]
    offset: int
    total: int
    size: int = PAGE_SIZE

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    @property
    def count(self) -> int:
        """How many pages the filtered list has (at least one, so an empty list is 'page 1 of 1')."""
        return max(1, -(-self.total // self.size))


def fold(text: str) -> str:
    """Lower case without the common accents: the form both sides of "search within" are compared in."""
    return text.strip().lower().translate(str.maketrans(ACCENTED, PLAIN))


def _pattern(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _page(conn: psycopg.Connection, query: str, params: dict[str, Any], offset: int, size: int,
          build: Callable[[dict[str, Any]], Item]) -> Page[Item]:
    """Run a paged query; a page past the end (the list shrank since the pager was drawn) becomes the last one."""
    offset = max(0, offset - offset % size)
    rows: Sequence[dict[str, Any]] = conn.execute(load_sql(__name__, query),
                                                  {**params, "limit": size, "offset": offset}).fetchall()
    if not rows and offset:
        first = conn.execute(load_sql(__name__, query), {**params, "limit": 1, "offset": 0}).fetchone()
        if first is None:
            return Page((), 0, 0, size)
        offset = (int(first["total"]) - 1) // size * size
        rows = conn.execute(load_sql(__name__, query), {**params, "limit": size, "offset": offset}).fetchall()
    total = int(rows[0]["total"]) if rows else 0
    return Page(tuple(build(row) for row in rows), offset, total, size)


def _card(row: dict[str, Any]) -> Card:
    return Card(movie=row_to_movie(row),
                user_rating=float(row["user_rating"]) if row["user_rating"] is not None else None,
                on_watchlist=True, watched_at=row["watchlist_watched_at"])


def watchlist_page(conn: psycopg.Connection, user_id: str, *, text: str = "", status: str = "to_watch",
                   sort: str = "added_new", offset: int = 0, size: int = PAGE_SIZE,
                   only: Collection[int] | None = None) -> Page[Card]:
    """One page of the watchlist: `status` 'to_watch' | 'watched' | 'all', `sort` a key of WATCHLIST_SORTS;
    `only`: just these films (e.g. the ones on the person's services now, arrivals.on_my_services_now)."""
    params = {"user_id": user_id, "status": status if status in WATCHLIST_STATUSES else "all",
              "only": None if only is None else sorted(int(i) for i in only),
              "sort": sort if sort in WATCHLIST_SORTS else "added_new", "contains": _pattern(text),
              "accents": ACCENTED, "plain": PLAIN}
    return _page(conn, "watchlist_page", params, offset, size, _card)


def ratings_page(conn: psycopg.Connection, user_id: str, *, text: str = "", sort: str = "newest",
                 stars: tuple[float, float] = (0.5, 5.0), offset: int = 0, size: int = PAGE_SIZE) -> Page[RatedMovie]:
    """One page of the rating history: `stars` keeps ratings within (low, high), `sort` a key of RATING_SORTS."""
    low, high = sorted(stars)
    params = {"user_id": user_id, "sort": sort if sort in RATING_SORTS else "newest", "contains": _pattern(text),
              "min_rating": low, "max_rating": high, "accents": ACCENTED, "plain": PLAIN}
    return _page(conn, "ratings_page", params, offset, size,
                 lambda row: RatedMovie(row_to_movie(row), float(row["rating"]), row["rated_at"], row["rating_source"]))
