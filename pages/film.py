"""A film's own page (`/film?id=603`): synopsis, people, runtime, certification, your rating and history,
why CineAI picked it, what you said about it, and more like it."""

from __future__ import annotations

import html

import streamlit as st

from cine_core.app import actions
from cine_core.app.film import FilmPage, load_film_page
from ui import context
from ui.cards import render_grid
from ui.diary import film_diary_section
from ui.format import SOURCE_BADGES, poster_html, rating_label, time_ago
from ui.providers import render_where_to_watch
from ui.rating_input import rating_slider

SOURCE_NAMES = {"app": "in CineAI", "letterboxd": "imported from Letterboxd", "imdb": "imported from IMDb",
                "trakt": "imported from Trakt"}

pool, user = context.page_setup()
context.show_flashes()


def _film_id() -> int | None:
    raw = st.query_params.get("id", "")
    return int(raw) if raw.isdigit() else None


def _runtime(minutes: int | None) -> str | None:
    if not minutes:
        return None
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def _facts(page: FilmPage) -> None:
    movie = page.movie
    facts = [x for x in (str(movie.year) if movie.year else None, movie.certification, _runtime(movie.runtime),
                         ", ".join(movie.genres[:3]) or None) if x]
    st.caption(" · ".join(facts))
    if movie.original_title:
        st.caption(f"Original title: *{html.escape(movie.original_title)}*")
    st.write(movie.overview or "No synopsis yet.")
    for label, names in (("Directed by", movie.directors), ("Starring", movie.cast)):
        if names:
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.markdown(f"**{label}**")
                for person in names:  # each opens everything of theirs in the catalog, ranked for you
                    st.page_link("pages/person.py", label=person, query_params={"name": person})
    if movie.vote_average is not None and movie.vote_count:
        st.caption(f"TMDB {movie.vote_average:.1f}/10 from {movie.vote_count:,} votes")


def _your_marks(page: FilmPage) -> None:
    movie = page.movie
    st.subheader("You and this film")
    if page.user_rating is not None:
        source = SOURCE_NAMES.get(page.rating_source or "", "")
        st.markdown(f"You rated it **{rating_label(page.user_rating)}** {source}, {time_ago(page.rated_at)}.")
    elif page.watched_at is not None:
        st.markdown(f"You watched it {time_ago(page.watched_at)} and have not rated it.")
    slider, _ = st.columns([2, 1])
    with slider:  # an unrated film starts on "not rated", never on a pre-set 4★
        rating = rating_slider(f"film-rating-{movie.id}", page.user_rating, rerun=True)
    save, remove, listed, _ = st.columns([1, 1, 1.4, 1.6])
    save.button("Save rating", type="primary", key="film-rate", on_click=context.run_action,
                args=(actions.rate, pool, user.id, movie.id, rating), disabled=rating is None,
                help="Slide to your stars first" if rating is None else None,
                kwargs={"success": f"Rated {movie.title}: {rating_label(rating)}" if rating is not None else None})
    if page.user_rating is not None:
        remove.button("Remove my rating", key="film-unrate", on_click=context.run_action,
                      args=(actions.remove_rating, pool, user.id, movie.id),
                      kwargs={"success": f"Your rating of {movie.title} is removed"})
    if page.on_watchlist:
        listed.button("On your watchlist ✓ (remove)", key="film-unlist", on_click=context.run_action,
                      args=(actions.remove_from_watchlist, pool, user.id, movie.id),
                      kwargs={"success": f"Removed {movie.title} from your watchlist"})
    elif page.user_rating is None and page.watched_at is None:
        listed.button("📌 Add to watchlist", key="film-list", on_click=context.run_action,
                      args=(actions.add_to_watchlist, pool, user.id, movie.id),
                      kwargs={"success": f"Added {movie.title} to your watchlist"})


def _why(page: FilmPage) -> None:
    if page.pick is not None:
        label, _ = SOURCE_BADGES.get(page.pick.discovery_source, (page.pick.discovery_source, "gray"))
        st.subheader("Why CineAI picked it")
        st.markdown(f"{html.escape(page.pick.reason)}  \n**{page.pick.confidence:.0%}** confidence · found in "
                    f"{label.lower()} · {time_ago(page.pick.generated_at)}")
    if page.said:
        st.subheader("What you said about it")
        for note in page.said:
            st.markdown(f"> {html.escape(note.text)}\n\n<small>{time_ago(note.said_at)}</small>",
                        unsafe_allow_html=True)


film_id = _film_id()
page = None
if film_id is not None:
    with context.guarded("Loading the film"):
        page = load_film_page(pool, user.id, film_id)
if page is None:
    context.not_found("🎞️ Film", "This film is not in the catalog. Open a film from your picks, the library or the chat.")

# The address follows the film: a film opened from "More like this" is the same page with another id, and
# Streamlit leaves the browser's URL on the previous film unless the page says its query again.
st.query_params["id"] = str(page.movie.id)
st.title(page.movie.title)
poster, details = st.columns([1, 2], gap="large")
with poster:
    poster_box = poster_html(page.movie.poster_url("w500"), page.movie.title, page.movie.year)
    st.markdown(f'<div style="max-width:300px;margin:0 auto">{poster_box}</div>', unsafe_allow_html=True)
with details:
    _facts(page)
    render_where_to_watch(page.movie, pool=pool, user_id=user.id, detailed=True)
    _why(page)
_your_marks(page)
film_diary_section(pool, user.id, page.movie)  # your watches and what you wrote (ui/diary.py)
if page.more_like_this:
    st.subheader("More like this")
    render_grid(list(page.more_like_this), scope="film-more", pool=pool, user_id=user.id, columns=3)
