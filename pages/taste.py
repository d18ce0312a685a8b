"""Your taste in charts: what the ratings and the learned profile say, and your year in review."""

from __future__ import annotations

import streamlit as st

from cine_core.app.taste_page import load_taste_page
from cine_core.app.year_review import load_year_in_review
from ui import charts, context
from ui.diary import render_year_in_review
from ui.taste_panel import render_taste_panel

pool, user = context.page_setup()
st.title("📊 Your taste")
context.show_flashes()

page = None
with context.guarded("Loading your taste"):
    page = load_taste_page(pool, user.id)

if page is not None:
    rated, profile, points, summary, years = page.rated, page.profile, page.calibration, page.summary, page.years
    if not rated and not profile.genres:
        st.info("Rate a few films (or chat about them) and your taste charts will appear here.")
        st.page_link("pages/onboarding.py", label="Rate some films", icon="⭐")
    else:
        left, right = st.columns(2)
        if profile.genres:
            left.plotly_chart(charts.genre_affinity(profile.genres), key="chart-genres")
        if rated:
            right.plotly_chart(charts.rating_distribution(rated), key="chart-distribution")
            left.plotly_chart(charts.ratings_over_time(rated), key="chart-over-time")
            right.plotly_chart(charts.decades(rated), key="chart-decades")
        people = charts.favourite_people(rated)
        if people is not None:
            left.plotly_chart(people, key="chart-people")
        if points:
            right.plotly_chart(charts.calibration(points), key="chart-calibration")
        else:
            right.caption("Once you rate films CineAI recommended, a chart here shows how well the confidence "
                          "matched your rating.")
    if years:
        st.divider()
        year = st.selectbox("Year in review", options=years, key="taste-year") if len(years) > 1 else years[0]
        with context.guarded("Loading your year"):
            render_year_in_review(load_year_in_review(pool, user.id, year))
    with st.expander("Edit what I've learned", expanded=False):
        render_taste_panel(summary, pool=pool, user_id=user.id, scope="taste-page")
