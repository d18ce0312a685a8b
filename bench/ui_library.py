"""bench.ui's Library figures (issue 23): the page and its tabs settled and a search answered, for a nearly empty
library and for the same person with 3,000 ratings and 5,000 watchlist films.

The two libraries live in two databases served by two app servers, and the rounds alternate between them (small,
big, then big, small, …): on a shared machine whose load drifts, both sides see the same load, so the ratio
measures the library, not the neighbours. The first round of each is not counted (the server's first imports).
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict

import psycopg
from psycopg import sql

BIG_RATINGS, BIG_WATCHLIST = 3_000, 5_000
SEARCHES = ("amelie", "heat", "godfather")
# A search's first result: a row of the results' table (or, in builds before it, a result's own row of controls).
RESULTS = ".cine-list tbody tr, [class*='st-key-search-row-']"
QUIET_MS = 150  # the status widget must stay away this long for a run to count as settled
# A cinephile's history written straight to the tables (as an import leaves it): the most popular films rated,
# the next ones on the watchlist.
BIG_HISTORY_SQL = (
    "insert into ratings (user_id, movie_id, rating, source, rated_at)"
    " select %(user)s, id, 0.5 + (row_number() over (order by popularity desc) %% 10) / 2.0, 'letterboxd',"
    "        now() - make_interval(mins => (row_number() over (order by popularity desc))::int)"
    " from movies where id not in (select movie_id from ratings where user_id = %(user)s)"
    " order by popularity desc limit %(ratings)s on conflict do nothing",
    "insert into watchlist (user_id, movie_id, added_at)"
    " select %(user)s, id, now() - make_interval(mins => (row_number() over (order by popularity desc))::int)"
    " from movies where id not in (select movie_id from ratings where user_id = %(user)s)"
    " order by popularity desc limit %(watchlist)s on conflict do nothing",
)


def settle_ms(page, started: float) -> float:
    """Milliseconds from `started` until the status widget has been gone for QUIET_MS (page loads)."""
    last_busy = started
    while True:
        now = time.perf_counter()
        if page.locator('[data-testid="stStatusWidget"]').count():
            last_busy = now
        elif (now - last_busy) * 1000 >= QUIET_MS:
            return (last_busy - started) * 1000
        if now - started > 30:
            raise TimeoutError("the page did not settle within 30 s")
        time.sleep(0.01)


DRAWN_JS = "() => !document.querySelector('[data-testid=stSkeleton]')"  # every element drawn (none still loading)


def until_settled(page, started: float, shown) -> float:
    """Milliseconds from `started` until `shown` is visible, every element is drawn (no loading skeleton left) and
    the run has settled, whichever is last. Without the drawing, a tab's figure stopped at its first control while
    the browser still drew its rows, and the next tab clicked paid for them (the History tab after the Watchlist)."""
    shown.wait_for(timeout=60_000)
    page.wait_for_function(DRAWN_JS, polling="raf", timeout=60_000)
    return max((time.perf_counter() - started) * 1000, settle_ms(page, started))


def add_big_history(db_url: str) -> None:
    from cine_core.config import LOCAL_USER_ID

    with psycopg.connect(db_url) as conn:
        for statement in BIG_HISTORY_SQL:
            conn.execute(statement, {"user": LOCAL_USER_ID, "ratings": BIG_RATINGS, "watchlist": BIG_WATCHLIST})


def big_copy(db_url: str, name: str = "cineai_big") -> str:
    """A copy of the prepared database (nobody connected to it) on the same server; its URL."""
    info = psycopg.conninfo.conninfo_to_dict(db_url)
    with psycopg.connect(psycopg.conninfo.make_conninfo(**{**info, "dbname": "postgres"}), autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {} template {}").format(sql.Identifier(name),
                                                                       sql.Identifier(info["dbname"])))
    return psycopg.conninfo.make_conninfo(**{**info, "dbname": name})


def _round(page, app_url: str, query: str) -> dict[str, float]:
    """One visit: the Library page (Search tab), its Watchlist and History tabs, then a search's first result."""
    started = time.perf_counter()
    page.goto(f"{app_url}/library")
    figures = {"page": until_settled(page, started, page.get_by_label("Search films by title"))}
    for tab, key, shown in (("Watchlist", "watchlist_tab", "Search within"), ("History", "history_tab", "Stars")):
        started = time.perf_counter()
        page.get_by_role("tab", name=tab).click()
        figures[key] = until_settled(page, started, page.get_by_text(shown).first)
    page.get_by_role("tab", name="Search").click()
    settle_ms(page, time.perf_counter())
    search = page.get_by_label("Search films by title")
    search.fill(query)
    started = time.perf_counter()
    search.press("Enter")
    figures["search"] = until_settled(page, started, page.locator(RESULTS).first)
    return figures


def paired_ratios(rounds: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    """{figure: median over rounds of big / small}: each round visits both libraries back to back, so a round's
    ratio is taken under one machine load; on a loaded machine it drifts less than the ratio of two medians."""
    return {key: round(statistics.median(r["big"][key] / max(r["small"][key], 1.0) for r in rounds), 2)
            for key in rounds[0]["big"]} if rounds else {}


def library_figures(page, apps: dict[str, str], rounds: int = len(SEARCHES)) -> dict[str, dict[str, float]]:
    """{'small'|'big': median ms per figure} over `rounds` alternating visits to each app (after one not counted),
    and 'paired': the median of each round's big / small (see paired_ratios)."""
    seen: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in apps}
    visits: list[dict[str, dict[str, float]]] = []
    for n in range(rounds + 1):
        order = list(apps) if n % 2 == 0 else list(reversed(apps))
        visit = {name: _round(page, apps[name], SEARCHES[n % len(SEARCHES)]) for name in order}
        if n:
            visits.append(visit)
            for name, figures in visit.items():
                for key, ms in figures.items():
                    seen[name][key].append(ms)
    medians = {name: {key: round(statistics.median(values)) for key, values in figures.items()}
               for name, figures in seen.items()}
    return {**medians, "paired": paired_ratios(visits)} if set(apps) == {"small", "big"} else medians
