"""Your diary: every watch by month (rewatches counted, the rating then, what you wrote), and your reviews."""

from __future__ import annotations

from calendar import month_name

import streamlit as st

from cine_core.app import diary
from ui import context
from ui.diary import render_month, render_reviews

REVIEWS_SHOWN = 100

pool, user = context.page_setup()
st.title("📔 Diary")
context.show_flashes()

months, reviews, watches, month = (), (), (), None
with context.guarded("Loading your diary"):
    overview = diary.load_diary(pool, user.id, reviews=REVIEWS_SHOWN)
    months, reviews = overview.months, overview.reviews
    if months:
        labels = {m.month: f"{month_name[m.month.month]} {m.month.year} · {m.watches:,} watch"
                            f"{'es' if m.watches != 1 else ''}" for m in months}
        month = st.selectbox("Month", options=[m.month for m in months], format_func=labels.get, key="diary-month")
        watches = diary.load_month(pool, user.id, month)

if not months and not reviews:
    st.info("No dated watches yet. Import your Letterboxd diary (or Trakt history, IMDb ratings) on the Library "
            "page, or open a film and use **Seen it: log a watch**.")
    st.page_link("pages/library.py", label="Import your history", icon="📚")
else:
    total = sum(m.watches for m in months)
    st.caption(f"{total:,} watch{'es' if total != 1 else ''} over {len(months):,} month{'s' if len(months) != 1 else ''}"
               f" · {len(reviews):,}{'+' if len(reviews) == REVIEWS_SHOWN else ''} review{'s' if len(reviews) != 1 else ''}")
    by_month, written = st.tabs(["By month", "What you wrote"])
    with by_month:
        if month is not None:
            render_month(month, watches)
        else:
            st.caption("No dated watches yet.")
    with written:
        if reviews:
            render_reviews(reviews)
        else:
            st.caption("You have not written about a film yet.")
