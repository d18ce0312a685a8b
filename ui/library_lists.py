"""The Library's lists (search results, watchlist, rating history): a page of films is one HTML table and one menu
to choose a film from, whose panel (the film's link, half-star pills that save on choice, the row's other actions)
shows between the menu and the table.

Rows of controls cost the browser what an empty list does not: 25 rows of a link, a rating menu and buttons (75-150
elements) settled the big Watchlist tab 3-7x slower than an empty one and History 2-2.4x; a data grid with row
selection still paid its grid code on each page load (Watchlist 1.6x). A table and a menu are two elements.
After an action the panel stays on that film (the menu is drawn afresh on it), until the person chooses another.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from ui.format import rating_label

Item = TypeVar("Item")

SOURCE_NAMES = {"app": "CineAI", "letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt"}


def title_year(movie) -> str:
    return f"{movie.title} ({movie.year})" if movie.year else movie.title


# A table's columns: header -> the value of a row (a watchlist Card, a history RatedMovie).
WATCHLIST_COLUMNS = {
    "Film": lambda c: title_year(c.movie),
    "Genres": lambda c: ", ".join(c.movie.genres[:3]),
    "Your rating": lambda c: rating_label(c.user_rating) if c.user_rating is not None else "",
    "Watched": lambda c: "✓" if c.watched_at else "",
}
SEARCH_COLUMNS = {  # a search result (a Card)
    "Film": lambda c: title_year(c.movie),
    "Genres": lambda c: ", ".join(c.movie.genres[:3]),
    "Your rating": lambda c: rating_label(c.user_rating) if c.user_rating is not None else "",
    "Watchlist": lambda c: "📌" if c.on_watchlist else "",
}
HISTORY_COLUMNS = {
    "Film": lambda r: title_year(r.movie),
    "Your rating": lambda r: rating_label(r.rating),
    "Rated": lambda r: r.rated_at.strftime("%Y-%m-%d") if r.rated_at else "",
    "From": lambda r: SOURCE_NAMES.get(r.source, r.source or ""),
}
FEEDBACK_COLUMNS = {  # what the person told CineAI about films (history.list_feedback)
    "Film": lambda f: title_year(f.movie),
    "You said": lambda f: f.label,
    "When": lambda f: f.at.strftime("%Y-%m-%d %H:%M"),
}

# The table scrolls sideways inside its box on a phone (the film and your rating come first); the first column stays
# readable (wraps) and the chosen film's row is bold.
TABLE_CSS = (
    "<style>.cine-list {overflow-x: auto;} .cine-list.scroll {max-height: 28rem; overflow-y: auto;} .cine-list table {width: 100%; border-collapse: collapse; font-size: 0.9rem;}"
    " .cine-list th {text-align: left; font-weight: 600; color: rgba(49, 51, 63, 0.6); padding: 0.3rem 0.5rem;"
    " border-bottom: 1px solid rgba(49, 51, 63, 0.2); white-space: nowrap;}"
    " .cine-list td {padding: 0.3rem 0.5rem; border-bottom: 1px solid rgba(49, 51, 63, 0.1); white-space: nowrap;}"
    " .cine-list td:first-child {white-space: normal; min-width: 11rem;} .cine-list tr.chosen td {font-weight: 600;"
    " background: rgba(255, 75, 75, 0.08);}</style>"
)


def _chosen_key(key: str) -> str:
    return f"{key}-chosen"


def _version(key: str) -> int:
    return int(st.session_state.get(f"{key}-table-version", 0))


def table_key(key: str) -> str:
    """The grid's widget key now: it changes after each action, so the new grid starts with no selection."""
    return f"{key}-table-{_version(key)}"


def keep_chosen(key: str, movie_id: int) -> None:
    """After an action on a row: its panel stays open on that film, and the grid is drawn without a selection."""
    st.session_state[_chosen_key(key)] = movie_id
    st.session_state[f"{key}-table-version"] = _version(key) + 1


def forget_chosen(key: str) -> None:
    """The person chose (or cleared) a row in the grid, or the list changed: the grid's selection decides."""
    st.session_state.pop(_chosen_key(key), None)


def film_table(key: str, items: Sequence[Item], columns: dict[str, Callable[[Item], Any]], *,
               film_id: Callable[[Item], int], panel: Callable[[Item], None], choose: str) -> None:
    """A page of films: a menu of its films (`choose` is its prompt), the chosen film's `panel` (the film acted on
    last while no other is chosen and it is still on this page), then the page as one HTML table (`columns`:
    header -> the value of a row), the chosen row in bold."""
    by_id = {film_id(item): item for item in items}
    kept = st.session_state.get(_chosen_key(key))
    title = next(iter(columns.values()))
    # The menu offers film ids, not positions: another page (or order) is another menu, never a position that now
    # names another film.
    chosen_id = st.selectbox(choose, list(by_id), index=list(by_id).index(kept) if kept in by_id else None,
                             key=table_key(key), placeholder="Choose a film", format_func=lambda i: str(title(by_id[i])),
                             on_change=forget_chosen, args=(key,))
    chosen = next((n for n, item in enumerate(items) if film_id(item) == chosen_id), None)
    if chosen is not None:
        panel(items[chosen])
    html_table(items, columns, chosen=chosen)


def html_table(items: Sequence[Item], columns: dict[str, Callable[[Item], Any]], *, chosen: int | None = None,
               scroll: bool = False) -> None:
    """`items` as one HTML element (`columns`: header -> the value of a row, shown as text); row `chosen` in bold;
    `scroll`: a long table scrolls inside a box of about 15 rows."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    rows = ("".join(f"<td>{html.escape(str(value(item)))}</td>" for value in columns.values()) for item in items)
    body = "".join(f'<tr class="chosen">{row}</tr>' if n == chosen else f"<tr>{row}</tr>" for n, row in enumerate(rows))
    box = ' class="cine-list scroll"' if scroll else ' class="cine-list"'
    st.html(f"{TABLE_CSS}<div{box}><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
