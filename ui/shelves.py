"""Shelves below the dashboard's picks: a row of small film tiles with the reason and a link to the film."""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st

from cine_core.app.shelves import Shelf
from ui.format import poster_html

SHELF_COLUMNS = 6


def render_shelves(shelves: Sequence[Shelf]) -> None:
    """Each shelf as a heading, a line of context and up to six tiles; nothing when no shelf applies."""
    for shelf in shelves:
        with st.container(key=f"shelf-{shelf.key}"):
            st.subheader(shelf.title)
            st.caption(shelf.subtitle)
            for column, film in zip(st.columns(SHELF_COLUMNS), shelf.films, strict=False):
                movie = film.movie
                with column:
                    st.markdown(poster_html(movie.poster_url("w185"), movie.title, movie.year),
                                unsafe_allow_html=True)
                    year = f" ({movie.year})" if movie.year else ""
                    st.markdown(f"**[{html.escape(movie.title)}](/film?id={movie.id})**{year}")
                    st.markdown(f"<small>{html.escape(film.reason)}</small>", unsafe_allow_html=True)
