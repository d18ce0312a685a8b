"""The Library's long lists (watchlist, rating history) as one table a page, and one panel for the chosen row.

A page of 25 films is ONE element (a data grid: a tap on any cell, or on a row's box, chooses its row), not 25 rows of links, menus and buttons
(75-150 elements: the big Watchlist tab settled 3-7x slower than an empty one, History 2-2.4x). Choosing a row
opens its panel above the table: the film's link, its half-star pills (choosing one saves it) and the row's other
actions. After an action the panel stays on that film (the table is drawn afresh, so no stale selection points at
a row that moved), until the person chooses another row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from ui.format import rating_label

Item = TypeVar("Item")

SOURCE_NAMES = {"app": "CineAI", "letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt"}
# Wide enough for a title and a rating on a phone (390 px): the other columns scroll into view.
COLUMN_WIDTHS = {"Film": st.column_config.TextColumn("Film", width=230),
                 "Your rating": st.column_config.TextColumn("Your rating", width=110)}


def title_year(movie) -> str:
    return f"{movie.title} ({movie.year})" if movie.year else movie.title


# A table's columns: header -> the value of a row (a watchlist Card, a history RatedMovie).
WATCHLIST_COLUMNS = {
    "Film": lambda c: title_year(c.movie),
    "Genres": lambda c: ", ".join(c.movie.genres[:3]),
    "Your rating": lambda c: rating_label(c.user_rating) if c.user_rating is not None else "",
    "Watched": lambda c: "✓" if c.watched_at else "",
}
HISTORY_COLUMNS = {
    "Film": lambda r: title_year(r.movie),
    "Your rating": lambda r: rating_label(r.rating),
    "Rated": lambda r: r.rated_at.strftime("%Y-%m-%d") if r.rated_at else "",
    "From": lambda r: SOURCE_NAMES.get(r.source, r.source or ""),
}

TABLE_HEIGHT_PX = 36 * 10 + 38  # ten rows and the header show; the rest of the page's 25 scroll inside the grid


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
               film_id: Callable[[Item], int], column_config: dict[str, Any] | None = None) -> Item | None:
    """Draw `items` as one table (`columns`: header -> value of a row) and return the chosen row, if any: the row
    selected in the grid, else the film acted on last (while it is still on this page)."""
    data = {name: [value(item) for item in items] for name, value in columns.items()}
    event = st.dataframe(data, key=table_key(key), hide_index=True, on_select=lambda: forget_chosen(key),
                         selection_mode=["single-row", "single-cell"], column_config=column_config, height=TABLE_HEIGHT_PX
                         if len(items) > 10 else "auto", width="stretch")
    selection = getattr(event, "selection", None)
    rows = [*(getattr(selection, "rows", None) or ()), *(cell[0] for cell in getattr(selection, "cells", None) or ())]
    if rows and 0 <= rows[0] < len(items):
        return items[rows[0]]
    kept = st.session_state.get(_chosen_key(key))
    return next((item for item in items if film_id(item) == kept), None)
