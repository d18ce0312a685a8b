"""Library: search films, rate with half stars, the watchlist, the rating history, imports.

Only the open tab is drawn, and its list one page at a time (searched, filtered and sorted in Postgres) as one
table with a panel for the chosen film: a 5,000-film watchlist and a 3,000-rating history cost a run about what an
empty library does.
"""

from __future__ import annotations

import streamlit as st

from cine_core.app import actions, arrivals, dashboard, library
from ui import context, pager
from ui.format import RATING_OPTIONS, poster_html, rating_label
from ui.import_panel import render_import
from ui.library_lists import (
    FEEDBACK_COLUMNS,
    HISTORY_COLUMNS,
    SEARCH_COLUMNS,
    SOURCE_NAMES,
    WATCHLIST_COLUMNS,
    film_table,
    html_table,
    keep_chosen,
)
from ui.rating_input import rating_pills

SEARCH_RESULTS = 20
SEARCH_MAX = 100  # "More results" grows the list by SEARCH_RESULTS up to here
FEEDBACK_ROWS = 200
THUMB_PX = 60  # the chosen search result's poster: enough to recognise the film
TABS = ["Search", "Watchlist", "History", "Import"]

# Search results, the watchlist and the history are each one table a page (ui.library_lists) with a panel for the
# chosen film. The search panel is a wrapping flex line: the poster, then the film's block taking the free width.
ROW_CSS = (
    "<style>"
    "[data-testid='stLayoutWrapper']:has(> [class*='st-key-search-info-']) {flex: 1 1 15rem; min-width: 12rem;}"
    "[class*='-info-'][class*='st-key-'] a, [class*='-panel-'][class*='st-key-'] a {padding: 0; margin: 0;}"
    "</style>"
)

pool, user = context.page_setup()
st.html(ROW_CSS)
st.title("📚 Library")
context.show_flashes()
settings = context.settings()


def _rate_from_widget(movie_id: int, title: str, widget_key: str) -> None:
    value = st.session_state.get(widget_key)
    if value is not None:
        context.run_with_toast(actions.rate, pool, user.id, movie_id, value,
                               done=f"Rated {title}: {rating_label(value)}")


def _watched_from_widget(movie_id: int, title: str, widget_key: str | None) -> None:
    keep_chosen("wl", movie_id)
    value = st.session_state.get(widget_key) if widget_key else None
    said = f"Rated {title}: {rating_label(value)}" if value is not None else f"Marked {title} as watched"
    context.run_with_toast(actions.mark_watched, pool, user.id, movie_id, value, done=said)


# The film page resolved once per run: a path string makes each link resolve the app's folder and the file again
# (getcwd + realpath: 40% of a 25-row History tab's server time on a loaded machine).
FILM_PAGE = st.Page("pages/film.py", title="Film")


def _link_with_note(movie, note: str) -> None:
    """A list row's film: one link (to its page) whose label carries the year and a grey note; one element where
    a block of a link and a note was three (rows of the watchlist and history are 25 to a page)."""
    year = f" ({movie.year})" if movie.year else ""
    st.page_link(FILM_PAGE, label=f"{movie.title}{year} :gray[:small[{note}]]" if note else f"{movie.title}{year}",
                 query_params={"id": str(movie.id)}, width="stretch")


def _search_panel(card: dashboard.Card) -> None:
    """The chosen search result: its poster, link (year, genres, your rating), half-star pills (choosing saves)
    and the watchlist toggle."""
    movie = card.movie
    with st.container(key=f"search-panel-{movie.id}", border=True, horizontal=True, gap="small",
                      vertical_alignment="center"):
        st.markdown(f'<div style="width:{THUMB_PX}px">{poster_html(movie.poster_url("w92"), movie.title, movie.year)}'
                    "</div>", unsafe_allow_html=True, width="content")
        with st.container(key=f"search-info-{movie.id}", gap="small"):
            mine = f"your rating: {rating_label(card.user_rating)}" if card.user_rating is not None else "not rated yet"
            _link_with_note(movie, " · ".join(x for x in (", ".join(movie.genres[:3]), mine) if x))
            key = f"search-rating-{movie.id}"
            rating_pills(key, card.user_rating, on_change=_rate_result, args=(movie.id, movie.title, key))
            if card.on_watchlist:
                st.button("✅ On your watchlist: remove", key=f"search-unwatch-{movie.id}", on_click=_search_action,
                          args=(actions.remove_from_watchlist, movie.id, f"Removed {movie.title} from your watchlist"))
            else:
                st.button("📌 Add to watchlist", key=f"search-watch-{movie.id}", on_click=_search_action,
                          args=(actions.add_to_watchlist, movie.id, f"Added {movie.title} to your watchlist"))


def _rate_result(movie_id: int, title: str, widget_key: str) -> None:
    keep_chosen("search", movie_id)
    _rate_from_widget(movie_id, title, widget_key)


def _search_action(action, movie_id: int, done: str) -> None:
    keep_chosen("search", movie_id)
    context.run_with_toast(action, pool, user.id, movie_id, done=done)


def _more_results() -> None:
    st.session_state["library-search-limit"] = st.session_state.get("library-search-limit", SEARCH_RESULTS) + SEARCH_RESULTS


def _new_search() -> None:
    st.session_state["library-search-limit"] = SEARCH_RESULTS


@st.fragment
def search_tab() -> None:
    """Results as one table and one menu (choose a film: its panel rates it and adds it to the watchlist): 20
    rows of a poster, a link, a rating menu and a button were ~120 elements for the browser to draw per search."""
    context.show_toasts()  # a rerun of this tab alone does not pass the page's show_flashes
    text = st.text_input("Search films by title", key="library-search", placeholder="e.g. Blade Runner",
                         on_change=_new_search)
    if not text.strip():
        return
    limit = min(st.session_state.get("library-search-limit", SEARCH_RESULTS), SEARCH_MAX)
    results: tuple[dashboard.Card, ...] = ()
    with context.guarded("Searching"):
        results = library.search(pool, user.id, text, limit=limit)
        if settings.tmdb_online and st.button("Search TMDB too", key="library-search-online"):
            results += library.search_online(pool, settings, user.id, text, limit=SEARCH_RESULTS,
                                             known={c.movie.id for c in results})
    if not results:
        st.info("No film in the catalog matches that title." + (
            "" if settings.tmdb_online else " (Offline mode: only the bundled catalog is searched.)"))
        return
    film_table("search", results, SEARCH_COLUMNS, film_id=lambda c: c.movie.id, panel=_search_panel,
               choose="Rate it or add it to your watchlist")
    if len(results) >= limit and limit < SEARCH_MAX:
        st.button("More results", key="library-search-more", on_click=_more_results)


def _list_controls(key: str, placeholder: str, sorts: dict[str, str]) -> tuple[str, str]:
    """'Search within' and 'Sort by' for one list; changing either goes back to its first page."""
    search, order = st.columns([3, 2], vertical_alignment="bottom")
    text = search.text_input("Search within", key=f"{key}-search", placeholder=placeholder,
                             on_change=pager.reset, args=(key,))
    sort = order.selectbox("Sort by", list(sorts), format_func=sorts.get, key=f"{key}-sort",
                           on_change=pager.reset, args=(key,))
    return text, sort


@st.fragment
def watchlist_tab() -> None:
    context.show_toasts()
    key = "wl"
    text, sort = _list_controls(key, "Title in your watchlist", library.WATCHLIST_SORTS)
    status = st.segmented_control("Show", list(library.WATCHLIST_STATUSES), format_func=library.WATCHLIST_STATUSES.get,
                                  default="to_watch", required=True, key=f"{key}-status", on_change=pager.reset,
                                  args=(key,), label_visibility="collapsed")
    only = None
    if settings.tmdb_online and st.toggle("Only what's on my services now", key=f"{key}-streamable",
                                          on_change=pager.reset, args=(key,)):
        with context.guarded("Checking your services"):
            only = arrivals.on_my_services_now(pool, settings, user.id)
        if not only:
            st.caption("Nothing on your watchlist streams on your services now (choose them in ⚙️ Settings).")
    page = None
    with context.guarded("Loading your watchlist"):
        page = library.watchlist(pool, user.id, text=text, status=status, sort=sort, offset=pager.offset(key),
                                 only=only)
    if page is None:
        return
    if not page.total:
        st.caption("Nothing matches." if text.strip() or status != "to_watch"
                   else "Nothing to watch on your list: use 📌 on any film.")
        return
    pager.render_pager(key, page)
    film_table(key, page.items, WATCHLIST_COLUMNS, film_id=lambda c: c.movie.id, panel=_watchlist_panel,
               choose="Rate, mark watched or remove")


def _watchlist_state(card: dashboard.Card) -> str:
    return (f"watched · rated {rating_label(card.user_rating)}" if card.user_rating is not None
            else "watched" if card.watched_at else "")


def _watchlist_panel(card: dashboard.Card) -> None:
    """The chosen watchlist film: its link, stars (they mark it watched and rate it in one step), Watched ✓ and
    remove."""
    movie = card.movie
    with st.container(key=f"wl-panel-{movie.id}", border=True, gap="small"):
        _link_with_note(movie, " · ".join(x for x in (", ".join(movie.genres[:2]), _watchlist_state(card)) if x))
        rating_key = f"wl-rating-{movie.id}"
        rating_pills(rating_key, card.user_rating, on_change=_watched_from_widget,
                     args=(movie.id, movie.title, rating_key), label="Rate it (it is marked watched too)")
        with st.container(horizontal=True, gap="small"):
            st.button("Watched ✓", key=f"wl-seen-{movie.id}", on_click=_watched_from_widget,
                      args=(movie.id, movie.title, None), disabled=card.watched_at is not None)
            st.button("🗑️ Remove from watchlist", key=f"wl-remove-{movie.id}", on_click=_remove_from_watchlist,
                      args=(movie.id, movie.title))


def _remove_from_watchlist(movie_id: int, title: str) -> None:
    keep_chosen("wl", movie_id)
    context.run_with_toast(actions.remove_from_watchlist, pool, user.id, movie_id,
                           done=f"Removed {title} from your watchlist")


def _remove_rating(movie_id: int, title: str) -> None:
    keep_chosen("history", movie_id)
    context.run_with_toast(actions.remove_rating, pool, user.id, movie_id, done=f"Removed your rating of {title}")


def _rerate(movie_id: int, title: str, widget_key: str) -> None:
    keep_chosen("history", movie_id)
    _rate_from_widget(movie_id, title, widget_key)


def _history_panel(rated) -> None:
    """The chosen rating: the film's link (with when and where you rated it), its stars (choosing saves) and
    remove."""
    movie = rated.movie
    when = rated.rated_at.strftime("%Y-%m-%d") if rated.rated_at else ""
    note = " · ".join(x for x in (f"rated {when}" if when else "", SOURCE_NAMES.get(rated.source, rated.source)) if x)
    with st.container(key=f"hist-panel-{movie.id}", border=True, gap="small"):
        _link_with_note(movie, note)
        key = f"hist-rating-{movie.id}"
        rating_pills(key, rated.rating, on_change=_rerate, args=(movie.id, movie.title, key))
        st.button("🗑️ Remove this rating", key=f"hist-remove-{movie.id}", on_click=_remove_rating,
                  args=(movie.id, movie.title))


@st.fragment
def history_tab() -> None:
    context.show_toasts()
    key = "history"
    text, sort = _list_controls(key, "Title you rated", library.RATING_SORTS)
    stars = st.select_slider("Stars", options=RATING_OPTIONS, value=(0.5, 5.0), format_func=rating_label,
                             key=f"{key}-stars", on_change=pager.reset, args=(key,))
    found = None
    with context.guarded("Loading your ratings"):
        found = library.history(pool, user.id, feedback_limit=FEEDBACK_ROWS, text=text, sort=sort, stars=stars,
                                offset=pager.offset(key))
    if found is None:
        return
    page, said = found.page, found.feedback
    if page is not None:
        if not page.total:
            st.caption("No rating matches." if text.strip() or stars != (0.5, 5.0) else "No ratings yet.")
        else:
            pager.render_pager(key, page, noun="ratings")
            film_table(key, page.items, HISTORY_COLUMNS, film_id=lambda r: r.movie.id, panel=_history_panel,
                       choose="Change or remove a rating")
    if said:
        st.subheader("What you told CineAI about films")
        html_table(said, FEEDBACK_COLUMNS, scroll=True)  # text in one element: no data grid to load


# Only the open tab runs (`.open`): the others cost nothing until the person opens them. Each list tab is a
# fragment: paging, sorting, choosing a film and rating it rerun that tab alone, not the app's menu and the page.
tabs = dict(zip(TABS, st.tabs(TABS, key="library-tab", on_change="rerun"), strict=True))
for name, draw in (("Search", search_tab), ("Watchlist", watchlist_tab), ("History", history_tab),
                   ("Import", lambda: render_import(pool=pool, user_id=user.id, key="library-import"))):
    if tabs[name].open:
        with tabs[name]:
            draw()
