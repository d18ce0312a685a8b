"""The rating inputs: they start EMPTY on a film you have not rated (never a pre-set 4★ that a careless click
saves), show your rating on one you have, and offer only half stars (0.5–5, what the database accepts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.format import RATING_OPTIONS, rating_label

NOT_RATED = "☆ not rated"
SLIDER_OPTIONS: list[float | None] = [None, *RATING_OPTIONS]  # the slider's first stop is "not rated"


def label(value: float | None) -> str:
    return NOT_RATED if value is None else rating_label(value)


def rating_select(key: str, current: float | None, *, on_change: Callable[..., Any], args: tuple = (),
                  placeholder: str = "Rate ☆", width: int | str = "stretch") -> None:
    """A compact list row's rating: a menu that starts empty (or on your rating); choosing stars saves them
    at once through `on_change` (one widget per row instead of a slider and a button)."""
    st.selectbox("Your rating", RATING_OPTIONS, key=key, format_func=rating_label, placeholder=placeholder,
                 index=RATING_OPTIONS.index(current) if current in RATING_OPTIONS else None,
                 label_visibility="collapsed", on_change=on_change, args=args, width=width)


def short_label(value: float) -> str:
    return f"{value:g}★"


def _when_chosen(key: str, current: float | None, on_change: Callable[..., Any], *args: Any) -> None:
    """Pills can be unselected (a second tap): that chooses nothing, so nothing is saved and the pill stays."""
    if st.session_state.get(key) is None:
        st.session_state[key] = current
    else:
        on_change(*args)


def rating_pills(key: str, current: float | None, *, on_change: Callable[..., Any], args: tuple = (),
                 label: str = "Your rating") -> None:
    """The chosen list row's rating: half-star pills showing your stars (none on a film you have not rated);
    choosing one saves it through `on_change`. One widget for the whole list (its panel), not one per row: pills,
    unlike a select menu, do not copy the whole session state per widget."""
    st.pills(label, RATING_OPTIONS, key=key, default=current if current in RATING_OPTIONS else None,
             format_func=short_label, on_change=_when_chosen, args=(key, current, on_change, *args))


def rating_slider(key: str, current: float | None, *, rerun: bool = False) -> float | None:
    """Half-star slider whose first stop is 'not rated': an unrated film starts there, so only a real choice is
    saved. `rerun=False` lets the person slide without rerunning anything (a pop-over stays open)."""
    return st.select_slider("Your rating", options=SLIDER_OPTIONS, key=key, format_func=label, value=current,
                            on_change="rerun" if rerun else "ignore")
