"""The diary's pieces: a film's watches and what you wrote (film page), a month of watches (Diary page),
the year in review (Taste page). Everything the person wrote is shown as text, never as Markdown or HTML."""

from __future__ import annotations

import html
from calendar import month_name
from collections.abc import Sequence
from datetime import date, datetime, timezone

import streamlit as st
from psycopg_pool import ConnectionPool

from cine_core.app import diary
from cine_core.app.diary import Review, Watch
from cine_core.app.year_review import YearInReview
from cine_core.domain.models import Movie
from cine_core.domain.regions import REGION_NAMES
from ui import charts
from ui.context import guarded, run_action
from ui.escape import as_text
from ui.format import RATING_OPTIONS, rating_label

COUNTRIES_SHOWN = 8
# Production countries with no where-to-watch region (so not in REGION_NAMES), by how often films name them.
MORE_COUNTRY_NAMES = {
    "CN": "China", "IR": "Iran", "PR": "Puerto Rico", "VN": "Vietnam", "GE": "Georgia", "KH": "Cambodia",
    "KZ": "Kazakhstan", "AF": "Afghanistan", "BD": "Bangladesh", "CS": "Serbia and Montenegro", "NP": "Nepal",
    "MN": "Mongolia", "RW": "Rwanda", "SY": "Syria", "YU": "Yugoslavia", "ET": "Ethiopia", "AM": "Armenia",
    "LK": "Sri Lanka", "LA": "Laos", "MM": "Myanmar", "XG": "East Germany", "SU": "Soviet Union", "KP": "North Korea",
    "MO": "Macao",
}
FILM_RATING_KEY = "film-rating"  # pages/film.py's rating slider is keyed f"film-rating-{film id}"
NO_RATING = 0.0  # the "not rated" choice of the log-a-watch slider (ratings start at 0.5)
SOURCE_NAMES = {"app": "logged in CineAI", "letterboxd": "from Letterboxd", "imdb": "from IMDb", "trakt": "from Trakt"}
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "zh": "Chinese", "cn": "Cantonese", "hi": "Hindi", "pt": "Portuguese", "ru": "Russian",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "nl": "Dutch", "pl": "Polish",
    "tr": "Turkish", "fa": "Persian", "ar": "Arabic", "he": "Hebrew", "th": "Thai", "el": "Greek",
    "hu": "Hungarian", "cs": "Czech", "ro": "Romanian", "id": "Indonesian", "ta": "Tamil", "te": "Telugu",
    "tl": "Tagalog", "is": "Icelandic", "uk": "Ukrainian", "sr": "Serbian", "bn": "Bengali", "ml": "Malayalam",
}


def _country(code: str) -> str:
    return REGION_NAMES.get(code) or MORE_COUNTRY_NAMES.get(code) or code


def _quote(value: str) -> str:
    """What the person wrote, as a Markdown quote of literal text: each line escaped (ui.escape.as_text: no
    Markdown, link, image or HTML survives, so a review's "- " lines stay as typed), line and paragraph breaks
    kept."""
    return "\n".join(f"> {as_text(line)}  " if line.strip() else ">" for line in value.strip().split("\n"))


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _watch_line(watch: Watch, *, with_title: bool) -> str:
    parts = [f"**{_day(watch.watched_on)}**"]
    if with_title:
        parts.append(html.escape(watch.movie.title) + (f" ({watch.movie.year})" if watch.movie.year else ""))
    if watch.rating is not None:
        parts.append(rating_label(watch.rating))
    if watch.is_rewatch:
        parts.append(f"↻ rewatch (watch {watch.watch_number})" if watch.watch_number > 1 else "↻ rewatch")
    parts.append(f"<small>{SOURCE_NAMES.get(watch.source, watch.source)}</small>")
    return " · ".join(parts)


def _review_block(review: Review) -> None:
    when = _day(review.watched_on) if review.watched_on else _day(review.written_at.date())
    rating = f" · {rating_label(review.rating)}" if review.rating is not None else ""
    st.markdown(f"<small>{when}{rating} · {SOURCE_NAMES.get(review.source, review.source)}</small>",
                unsafe_allow_html=True)
    st.markdown(_quote(review.body))


def film_diary_section(pool: ConnectionPool, user_id: str, movie: Movie) -> None:
    """The film page's one call: load this film's watches and reviews, then show them."""
    with guarded("Loading your diary"):
        found = diary.load_film_diary(pool, user_id, movie.id)
        render_film_diary(pool, user_id, movie, found.watches, found.reviews)


def render_film_diary(pool: ConnectionPool, user_id: str, movie: Movie, watches: Sequence[Watch],
                      reviews: Sequence[Review]) -> None:
    """Film page: your watches of this film, what you wrote, and "Seen it" on a day."""
    st.subheader("Your diary")
    if watches:
        count = f"{len(watches)} watches" if len(watches) > 1 else "1 watch"
        st.caption(f"{count} in your diary")
        for watch in watches:
            st.markdown(_watch_line(watch, with_title=False), unsafe_allow_html=True)
    else:
        st.caption("No dated watch of this film in your diary yet.")
    if reviews:
        st.markdown("**What you wrote**")
        for review in reviews:
            _review_block(review)
    with st.expander("👁 Seen it: log a watch", expanded=False):
        _log_form(pool, user_id, movie)


def _log_form(pool: ConnectionPool, user_id: str, movie: Movie) -> None:
    today = datetime.now(timezone.utc).date()
    with st.form(f"log-watch-{movie.id}", clear_on_submit=True, border=False):
        day = st.date_input("When did you watch it?", value=today, max_value=today, min_value=diary.FIRST_FILM_DAY,
                            format="YYYY-MM-DD", key=f"log-day-{movie.id}")
        rating = st.select_slider("Your rating then", options=[NO_RATING, *RATING_OPTIONS], value=NO_RATING,
                                  format_func=lambda v: "not rated" if v == NO_RATING else rating_label(v),
                                  key=f"log-stars-{movie.id}")
        review = st.text_area("What you thought (optional)", max_chars=diary.MAX_REVIEW_CHARS,
                              key=f"log-review-{movie.id}")
        if st.form_submit_button("Log this watch", type="primary"):
            run_action(diary.log_watch, pool, user_id, movie.id, day, rating=rating or None, review=review or None,
                       success=f"Logged {movie.title} on {_day(day)}")
            if rating:  # the film page's own rating slider kept its old stop ('not rated'): let it read the new one
                st.session_state.pop(f"{FILM_RATING_KEY}-{movie.id}", None)
            st.rerun()


def render_month(month: date, watches: Sequence[Watch]) -> None:
    """One month of the diary, newest first, each watch with the film's page a click away."""
    st.subheader(f"{month_name[month.month]} {month.year}")
    films = len({w.movie.id for w in watches})
    st.caption(f"{len(watches)} watches of {films} film{'s' if films != 1 else ''}" if len(watches) != 1 else "1 watch")
    for watch in watches:
        with st.container(border=True):
            st.page_link("pages/film.py", label=f"{watch.movie.title} ({watch.movie.year or '?'})",
                         query_params={"id": str(watch.movie.id)})
            st.markdown(_watch_line(watch, with_title=False), unsafe_allow_html=True)
            if watch.review:
                st.markdown(_quote(watch.review))


def render_reviews(reviews: Sequence[Review]) -> None:
    for review in reviews:
        with st.container(border=True):
            if review.movie is not None:
                st.page_link("pages/film.py", label=f"{review.movie.title} ({review.movie.year or '?'})",
                             query_params={"id": str(review.movie.id)})
            _review_block(review)


def render_year_in_review(review: YearInReview) -> None:
    """Taste page: the year's numbers, films per month, decades, languages and its best-rated films."""
    st.subheader(f"🗓️ {review.year} in review")
    # One wrapping row, not columns: on a phone columns stack the four numbers one above the other.
    with st.container(horizontal=True, gap="large", key="year-numbers"):
        for label, value in (("Films", f"{review.films:,}"), ("Watches", f"{review.watches:,}"),
                             ("Rewatches", f"{review.rewatches:,}"), ("Hours watched", f"{review.hours:,.0f}")):
            st.metric(label, value, width="content")
    if review.without_runtime:
        st.caption(f"Hours count {review.watches - review.without_runtime:,} watches; "
                   f"{review.without_runtime:,} are of films whose running time is unknown.")
    left, right = st.columns(2)
    left.plotly_chart(charts.watches_per_month(review.per_month, review.year), key="chart-year-months")
    if review.decades:
        right.plotly_chart(charts.watches_by_decade(review.decades), key="chart-year-decades")
    countries = ", ".join(f"{_country(code)} {n:,}" for code, n in review.countries[:COUNTRIES_SHOWN])
    if countries:
        known = review.watches - review.without_country
        of = f" (of the {known:,} watches whose country is known)" if review.without_country else ""
        st.markdown(f"**Countries**{of}: {countries}")
    languages = ", ".join(f"{LANGUAGE_NAMES.get(code, code.upper())} {n:,}" for code, n in review.languages[:8])
    if languages:
        st.markdown(f"**Languages**: {languages}")
    if review.top_rated:
        st.markdown("**Top rated of the year**")
        for n, watch in enumerate(review.top_rated, start=1):
            rating = watch.rating if watch.rating is not None else watch.current_rating
            st.markdown(f"{n}. {html.escape(watch.movie.title)} ({watch.movie.year or '?'}) · "
                        f"{rating_label(rating or 0)}")
