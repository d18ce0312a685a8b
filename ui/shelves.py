"""Shelves below the dashboard's picks: a row of small film tiles with the reason and a link to the film."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app.shelves import Shelf, load_shelves
from ui.format import poster_html

SHELF_COLUMNS = 6
SHELVES_POLL_SECONDS = 1.5
MAX_SHELF_JOBS = 500  # people whose shelves a server process keeps (then the longest-kept go first)


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


class ShelfJobs:
    """The shelves' jobs by (user, taste stamp, day), shared by every session of a server process: one per
    person, at most `limit` people (a job kept for someone who never came back is memory that only grows)."""

    def __init__(self, executor: ThreadPoolExecutor, *, limit: int = MAX_SHELF_JOBS) -> None:
        self._executor, self._limit = executor, limit
        self._jobs: dict[Hashable, Future] = {}
        self._lock = threading.Lock()

    def job(self, key: tuple, compute: Callable[[], list[Shelf]]) -> Future:
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                for old in [k for k in self._jobs if k[0] == key[0]]:  # one job per person is enough
                    del self._jobs[old]
                while len(self._jobs) >= self._limit:
                    del self._jobs[next(iter(self._jobs))]  # the longest kept
                job = self._jobs[key] = self._executor.submit(compute)
            return job

    def __len__(self) -> int:
        return len(self._jobs)


@st.cache_resource(show_spinner=False)
def _background() -> ShelfJobs:
    """One worker thread per server process for computing shelves, and its jobs."""
    return ShelfJobs(ThreadPoolExecutor(max_workers=1, thread_name_prefix="shelves"))


def render_shelves_when_ready(pool: ConnectionPool, user_id: str, stamp: Hashable) -> None:
    """The shelves, computed off the page run: the picks settle first (computing shelves took most of a first
    visit's settle), the shelves follow a moment later by themselves."""
    job = _background().job((user_id, stamp, date.today()), lambda: load_shelves(pool, user_id, stamp=stamp))
    if job.done():
        render_shelves(job.result())  # a CineError raises here, inside the page's guard
    else:
        _wait_for_shelves(job)


@st.fragment(run_every=SHELVES_POLL_SECONDS)
def _wait_for_shelves(job: Future) -> None:
    if job.done():
        st.rerun(scope="app")
    st.caption("Shelves for you are on their way…")
