"""Library: search films, rate with half stars, the watchlist, the rating history, imports."""

from __future__ import annotations

import html

import streamlit as st

from cine_core.app import actions, dashboard, history
from cine_core.app.services import search_catalog_ids, search_film_ids, user_transaction
from ui import context
from ui.context import run_action
from ui.format import RATING_OPTIONS, poster_html, rating_label
from ui.import_panel import render_import

SEARCH_RESULTS = 20
SOURCE_NAMES = {"app": "CineAI", "letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt"}
HISTORY_ROWS = 500
THUMB_PX = 60  # a search result's poster: enough to recognise the film, small enough for a list

pool, user = context.page_setup()
st.title("📚 Library")
context.show_flashes()
settings = context.settings()


def _rate_from_widget(movie_id: int, title: str, widget_key: str) -> None:
    value = st.session_state.get(widget_key)
    run_action(actions.rate, pool, user.id, movie_id, value, success=f"Rated {title}: {rating_label(value)}")


def _film_link(column, movie, *, note: str = "") -> None:
    """The film's title (a link to its page), year and a small note."""
    year = f" ({movie.year})" if movie.year else ""
    column.page_link("pages/film.py", label=f"{movie.title}{year}", query_params={"id": str(movie.id)})
    if note:
        column.markdown(f"<small>{html.escape(note)}</small>", unsafe_allow_html=True)


def _stars(column, key: str, value: float | None) -> None:
    column.select_slider("Your rating", options=RATING_OPTIONS, key=key, format_func=rating_label,
                         value=value or 4.0, label_visibility="collapsed", on_change="ignore")  # Rate reads it


def _watched_from_widget(movie_id: int, title: str, widget_key: str) -> None:
    value = st.session_state.get(widget_key)
    run_action(actions.mark_watched, pool, user.id, movie_id, value, success=f"Marked {title} as watched")


def render_film_row(card: dashboard.Card, *, scope: str) -> None:
    """Poster, title and year, your rating, a half-star rating input and the watchlist button for one film."""
    movie = card.movie
    with st.container(key=f"{scope}-row-{movie.id}"):
        _film_row(card, scope=scope)


def _film_row(card: dashboard.Card, *, scope: str) -> None:
    movie = card.movie
    thumb, info, rating, rate, keep = st.columns([1, 5, 3, 1, 1], vertical_alignment="center")
    thumb.markdown(f'<div style="max-width:{THUMB_PX}px">'
                   f'{poster_html(movie.poster_url("w92"), movie.title, movie.year)}</div>', unsafe_allow_html=True)
    mine = f"your rating: {rating_label(card.user_rating)}" if card.user_rating is not None else "not rated yet"
    _film_link(info, movie, note=" · ".join(x for x in (", ".join(movie.genres[:3]), mine) if x))
    rating_key = f"{scope}-rating-{movie.id}"
    _stars(rating, rating_key, card.user_rating)
    rate.button("Rate", key=f"{scope}-rate-{movie.id}", on_click=_rate_from_widget,
                args=(movie.id, movie.title, rating_key))
    if card.on_watchlist:
        keep.button("✅", key=f"{scope}-unwatch-{movie.id}", help="Remove from watchlist",
                    on_click=run_action, args=(actions.remove_from_watchlist, pool, user.id, movie.id))
    else:
        keep.button("📌", key=f"{scope}-watch-{movie.id}", help="Add to watchlist",
                    on_click=run_action, args=(actions.add_to_watchlist, pool, user.id, movie.id),
                    kwargs={"success": f"Added {movie.title} to your watchlist"})


def _search_online(text: str) -> list[int]:
    """TMDB search (stores the films in the shared cache), only when asked for and online."""
    return search_film_ids(pool, settings, text, limit=SEARCH_RESULTS)


def _edit_history(rated) -> None:
    """Your ratings as an editable table: change a rating or tick Remove, then save once."""
    labels = [rating_label(v) for v in RATING_OPTIONS]
    by_label = dict(zip(labels, RATING_OPTIONS, strict=True))
    table = {
        "Film": [r.movie.title for r in rated], "Year": [r.movie.year for r in rated],
        "Rating": [rating_label(r.rating) for r in rated], "Remove": [False] * len(rated),
        "Rated": [r.rated_at.strftime("%Y-%m-%d") if r.rated_at else "" for r in rated],
        "From": [SOURCE_NAMES.get(r.source, r.source) for r in rated],
    }
    edited = st.data_editor(
        table, hide_index=True, key="history-table", disabled=["Film", "Year", "Rated", "From"],
        column_config={"Rating": st.column_config.SelectboxColumn("Rating", options=labels, required=True),
                       "Remove": st.column_config.CheckboxColumn("Remove", help="Delete this rating")},
    )
    changes = [(r, by_label[new], drop) for r, new, drop in zip(rated, edited["Rating"], edited["Remove"], strict=True)
               if drop or by_label[new] != r.rating]
    label = f"Save {len(changes)} change(s)" if changes else "Change a rating or tick Remove, then save"
    if st.button(label, key="history-save", disabled=not changes, type="primary"):
        for r, value, drop in changes:
            if drop:
                run_action(actions.remove_rating, pool, user.id, r.movie.id)
            else:
                run_action(actions.rate, pool, user.id, r.movie.id, value)
        context.flash("success", f"Saved {len(changes)} change(s) to your ratings")
        st.rerun()


search_tab, watchlist_tab, history_tab, import_tab = st.tabs(["Search", "Watchlist", "History", "Import"])

with search_tab:
    text = st.text_input("Search films by title", key="library-search", placeholder="e.g. Blade Runner")
    if text.strip():
        results: list[dashboard.Card] = []
        with context.guarded("Searching"):
            with user_transaction(pool, user.id) as conn:
                results = dashboard.search_films(conn, user.id, text, limit=SEARCH_RESULTS)
                known = {c.movie.id for c in results}
                forgiving = [i for i in search_catalog_ids(text, limit=SEARCH_RESULTS) if i not in known]
                results += dashboard.cards_for_movies(conn, user.id, forgiving)[: SEARCH_RESULTS - len(results)]
            if settings.tmdb_online and st.button("Search TMDB too", key="library-search-online"):
                online_ids = _search_online(text)
                with user_transaction(pool, user.id) as conn:
                    known = {c.movie.id for c in results}
                    results += dashboard.cards_for_movies(conn, user.id, [i for i in online_ids if i not in known])
        if not results:
            st.info("No film in the catalog matches that title." + (
                "" if settings.tmdb_online else " (Offline mode: only the bundled catalog is searched.)"))
        for card in results:
            render_film_row(card, scope="search")

with watchlist_tab:
    watchlist: list[dashboard.Card] = []
    with context.guarded("Loading your watchlist"):
        with user_transaction(pool, user.id) as conn:
            watchlist = dashboard.list_watchlist(conn, user.id)
    if not watchlist:
        st.caption("Your watchlist is empty: use 📌 on any film.")
    for card in watchlist:
        movie = card.movie
        info, rating, seen, drop = st.columns([5, 3, 2, 1], vertical_alignment="center")
        _film_link(info, movie, note="watched" if card.watched_at else "to watch")
        key = f"wl-rating-{movie.id}"
        _stars(rating, key, card.user_rating)
        seen.button("Watched ✓", key=f"wl-seen-{movie.id}", on_click=_watched_from_widget,
                    args=(movie.id, movie.title, key), disabled=card.watched_at is not None)
        drop.button("🗑️", key=f"wl-remove-{movie.id}", help="Remove", on_click=run_action,
                    args=(actions.remove_from_watchlist, pool, user.id, movie.id))

with history_tab:
    rated, said = [], []
    with context.guarded("Loading your ratings"):
        with user_transaction(pool, user.id) as conn:
            rated = history.list_rated(conn, user.id, limit=HISTORY_ROWS)
            said = history.list_feedback(conn, user.id, limit=HISTORY_ROWS)
    if not rated:
        st.caption("No ratings yet.")
    else:
        _edit_history(rated)
    if said:
        st.subheader("What you told CineAI about films")
        st.dataframe(
            {
                "Film": [f.movie.title for f in said],
                "Year": [f.movie.year for f in said],
                "You said": [f.label for f in said],
                "When": [f.at.strftime("%Y-%m-%d %H:%M") for f in said],
            },
            hide_index=True,
            key="feedback-table",
        )

with import_tab:
    render_import(pool=pool, user_id=user.id, key="library-import")
