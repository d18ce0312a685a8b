"""The Library's lists one page at a time: the watchlist and the rating history, searched, filtered and sorted in
Postgres, so a 5,000-film watchlist costs the page what a 25-film one does.

The page calls the faces (`search`, `search_online`, `watchlist`, `history`): each opens the user's transaction
and returns frozen dataclasses. The page functions below them take a connection from `db.user_transaction` AND
an explicit user_id filter (same contract as dashboard.py). The SQL lives in `library.sql`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg
from psycopg_pool import ConnectionPool

from cine_core.app import dashboard
from cine_core.app.dashboard import Card
from cine_core.app.history import FeedbackEntry, list_feedback
from cine_core.app.services import search_catalog_ids, search_film_ids
from cine_core.config import Settings
from cine_core.db import load_sql, user_transaction
from cine_core.domain.models import RatedMovie
from cine_core.films.rows import row_to_movie

PAGE_SIZE = 25
# The default order's first pages come straight off the person's index (`*_recent` queries: ~2-3 ms against 10-20 ms
# for a window over 3,000-5,000 films); past this offset the walk reads more rows than the window query does.
INDEX_WALK_MAX = 1_000
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
    recent = only is None and params["sort"] == "added_new" and not text.strip() and offset <= INDEX_WALK_MAX
    query = "watchlist_recent" if recent else "watchlist_page"
    return _page(conn, query, params, offset, size, _card)


def ratings_page(conn: psycopg.Connection, user_id: str, *, text: str = "", sort: str = "newest",
                 stars: tuple[float, float] = (0.5, 5.0), offset: int = 0, size: int = PAGE_SIZE) -> Page[RatedMovie]:
    """One page of the rating history: `stars` keeps ratings within (low, high), `sort` a key of RATING_SORTS."""
    low, high = sorted(stars)
    params = {"user_id": user_id, "sort": sort if sort in RATING_SORTS else "newest", "contains": _pattern(text),
              "min_rating": low, "max_rating": high, "accents": ACCENTED, "plain": PLAIN}
    recent = params["sort"] == "newest" and not text.strip() and offset <= INDEX_WALK_MAX
    query = "ratings_recent" if recent else "ratings_page"
    return _page(conn, query, params, offset, size,
                 lambda row: RatedMovie(row_to_movie(row), float(row["rating"]), row["rated_at"], row["rating_source"]))


@dataclass(frozen=True, slots=True)
class History:
    """The History tab: one page of ratings and what the person told CineAI about films (newest first)."""

    page: Page[RatedMovie]
    feedback: tuple[FeedbackEntry, ...]


def search(pool: ConnectionPool, user_id: str, text: str, *, limit: int) -> tuple[Card, ...]:
    """Films whose title contains `text` (prefix matches first, then the best known), then the catalog's forgiving
    matches (accents, original titles, small typos), up to `limit`, with the person's rating and watchlist."""
    with user_transaction(pool, user_id) as conn:
        results = dashboard.search_films(conn, user_id, text, limit=limit)
        known = {c.movie.id for c in results}
        forgiving = [i for i in search_catalog_ids(text, limit=limit) if i not in known]
        results += dashboard.cards_for_movies(conn, user_id, forgiving)[: limit - len(results)]
    return tuple(results)


def search_online(pool: ConnectionPool, settings: Settings, user_id: str, text: str, *, limit: int,
                  known: Collection[int] = ()) -> tuple[Card, ...]:
    """TMDB's matches for `text` that are not among `known` (the films are stored on the way)."""
    online_ids = [i for i in search_film_ids(pool, settings, text, limit=limit) if i not in set(known)]
    with user_transaction(pool, user_id) as conn:
        return tuple(dashboard.cards_for_movies(conn, user_id, online_ids))


def watchlist(pool: ConnectionPool, user_id: str, **filters: Any) -> Page[Card]:
    """`watchlist_page` in the person's own transaction (`filters`: its keyword arguments)."""
    with user_transaction(pool, user_id) as conn:
        return watchlist_page(conn, user_id, **filters)


def history(pool: ConnectionPool, user_id: str, *, feedback_limit: int, **filters: Any) -> History:
    """`ratings_page` (`filters`: its keyword arguments) and the last `feedback_limit` verdicts, in one transaction."""
    with user_transaction(pool, user_id) as conn:
        return History(ratings_page(conn, user_id, **filters),
                       tuple(list_feedback(conn, user_id, limit=feedback_limit)))
