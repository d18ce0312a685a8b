"""Shelves below the dashboard's picks: a row of small film tiles with the reason and a link to the film."""

from __future__ import annotations

import html
from collections.abc import Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app.shelves import Shelf, load_shelves
from ui.format import poster_html

SHELF_COLUMNS = 6
SHELVES_POLL_SECONDS = 1.5


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


@st.cache_resource(show_spinner=False)
def _background() -> tuple[ThreadPoolExecutor, dict[Hashable, Future]]:
    """One worker thread per server process for computing shelves, and the jobs by (user, taste stamp, day)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="shelves"), {}


def render_shelves_when_ready(pool: ConnectionPool, user_id: str, stamp: Hashable) -> None:
    """The shelves, computed off the page run: the picks settle first (computing shelves took most of a first
    visit's settle), the shelves follow a moment later by themselves."""
    executor, jobs = _background()
    key = (user_id, stamp, date.today())
    job = jobs.get(key)
    if job is None:
        for old in [k for k in jobs if k[0] == user_id]:  # one job per person is enough
            jobs.pop(old)
        job = jobs[key] = executor.submit(load_shelves, pool, user_id, stamp=stamp)
    if job.done():
        render_shelves(job.result())  # a CineError raises here, inside the page's guard
    else:
        _wait_for_shelves(job)


@st.fragment(run_every=SHELVES_POLL_SECONDS)
def _wait_for_shelves(job: Future) -> None:
    if job.done():
        st.rerun(scope="app")
    st.caption("Shelves for you are on their way…")
