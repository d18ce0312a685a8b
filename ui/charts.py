"""Plotly figures for the Taste page, built from cine_core rows (no database access here)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from cine_core.app.history import CalibrationPoint
from cine_core.domain.models import RatedMovie
from cine_core.domain.people import join_name_parts

TOP_GENRES = 12
TOP_PEOPLE = 10
PEOPLE_MIN_FILMS = 3  # one or two films say little about a person
PEOPLE_PRIOR = 3  # films' worth of the person's overall average mixed into each person's average
_LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 320}


def _count_axis(most: int) -> dict:
    """A count axis with whole-number ticks only, listed explicitly (about five, whatever the largest count):
    left to Plotly, a small range got ticks at 1.5, 2, 2.5 that ',d' printed as "2 2 3"."""
    most = max(1, int(most or 0))
    step = max(1, math.ceil(most / 5))
    ticks = list(range(0, most + step, step))
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [f"{t:,}" for t in ticks],
            "range": [0, ticks[-1] * 1.05], "rangemode": "tozero"}


def _whole_films(fig: go.Figure, most: int) -> go.Figure:
    """A count axis ticks whole films only (no '0.5 films')."""
    return fig.update_yaxes(**_count_axis(most))


def genre_affinity(genres: Mapping[str, float]) -> go.Figure:
    """Learned affinity per genre in [-1, 1], strongest first."""
    ranked = sorted(genres.items(), key=lambda kv: -abs(kv[1]))[:TOP_GENRES]
    frame = pd.DataFrame(
        {"genre": [g.title() for g, _ in ranked], "affinity": [v for _, v in ranked]}
    ).sort_values("affinity")
    frame["direction"] = ["likes" if v >= 0 else "avoids" for v in frame["affinity"]]
    fig = px.bar(frame, x="affinity", y="genre", orientation="h", color="direction", title="Genre affinity",
                 color_discrete_map={"likes": "#2a9d8f", "avoids": "#e76f51"}, range_x=[-1, 1])
    return fig.update_layout(**_LAYOUT, showlegend=False)


def rating_distribution(rated: Sequence[RatedMovie]) -> go.Figure:
    counts = Counter(r.rating for r in rated)
    values = [x / 2 for x in range(1, 11)]
    frame = pd.DataFrame({"stars": [f"{v:g}" for v in values], "films": [counts.get(v, 0) for v in values]})
    fig = px.bar(frame, x="stars", y="films", title="How you rate", color_discrete_sequence=["#e9c46a"])
    return _whole_films(fig.update_layout(**_LAYOUT), frame["films"].max())


def ratings_over_time(rated: Sequence[RatedMovie]) -> go.Figure:
    """Films rated per month with the month's average rating."""
    dated = [r for r in rated if r.rated_at is not None]
    frame = pd.DataFrame({"month": [r.rated_at.strftime("%Y-%m-01") for r in dated],
                          "rating": [r.rating for r in dated]})
    by_month = frame.groupby("month", as_index=False).agg(films=("rating", "size"), average=("rating", "mean"))
    fig = go.Figure()
    fig.add_bar(x=by_month["month"], y=by_month["films"], name="films rated", marker_color="#8ab17d")
    fig.add_scatter(x=by_month["month"], y=by_month["average"], name="average rating", yaxis="y2",
                    mode="lines+markers", line={"color": "#264653"})
    most = int(by_month["films"].max()) if len(by_month) else 0
    # A date axis (Plotly spaces its own month labels) and the legend above the plot: a category axis of
    # 30 months drew its labels rotated under a bottom legend, which covered them ("2 2 3").
    fig.update_layout(title="Ratings over time", xaxis={"type": "date", "tickformat": "%b %Y"},
                      yaxis={"title": "films", **_count_axis(most)},
                      yaxis2={"title": "average ★", "overlaying": "y", "side": "right", "range": [0, 5.2],
                              "tickmode": "array", "tickvals": [0, 1, 2, 3, 4, 5], "showgrid": False},
                      **{**_LAYOUT, "margin": {**_LAYOUT["margin"], "t": 64}},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0})
    return fig


def decades(rated: Sequence[RatedMovie]) -> go.Figure:
    totals: dict[int, list[float]] = defaultdict(list)
    for item in rated:
        if item.movie.decade:
            totals[item.movie.decade].append(item.rating)
    ordered = sorted(totals)
    frame = pd.DataFrame({"decade": [f"{d}s" for d in ordered], "films": [len(totals[d]) for d in ordered],
                          "average": [sum(totals[d]) / len(totals[d]) for d in ordered]})
    fig = px.bar(frame, x="decade", y="films", color="average", range_color=[0.5, 5], title="Decades",
                 color_continuous_scale="Viridis", hover_data={"average": ":.1f"})
    return _whole_films(fig.update_layout(**_LAYOUT), frame["films"].max() if len(frame) else 0)


def favourite_people(rated: Sequence[RatedMovie]) -> go.Figure | None:
    """The directors and leads whose films the person rates highest across their whole history (3+ films;
    ranked by their average pulled towards the person's overall one, so 12 films at 5★ beat 3), or None.

    The profile's person affinities are weighted towards the last ratings (they serve the picks): as a chart
    they showed a 900-rating history's favourites as Nick Nolte and Claire Forlani at "0.03" (newcomer check)."""
    if not rated:
        return None
    overall = sum(r.rating for r in rated) / len(rated)
    ratings: dict[str, list[float]] = defaultdict(list)
    for item in rated:
        for name in {*join_name_parts(item.movie.directors[:1]), *join_name_parts(item.movie.cast)[:3]}:
            ratings[name].append(item.rating)
    scored = [((sum(v) + PEOPLE_PRIOR * overall) / (len(v) + PEOPLE_PRIOR), name, v) for name, v in ratings.items()
              if len(v) >= PEOPLE_MIN_FILMS and sum(v) / len(v) > overall]
    ranked = sorted(scored, key=lambda t: (-t[0], t[1]))[:TOP_PEOPLE]
    if not ranked:
        return None
    frame = pd.DataFrame({"person": [n for _, n, _ in ranked], "average": [sum(v) / len(v) for _, _, v in ranked],
                          "films": [len(v) for _, _, v in ranked]})
    fig = px.bar(frame.iloc[::-1], x="average", y="person", orientation="h", title="Favourite people",
                 text=[f"{f} films" for f in frame["films"].iloc[::-1]], range_x=[0, 5.2],
                 labels={"average": "your average ★", "person": ""}, color_discrete_sequence=["#f4a261"])
    return fig.update_layout(**_LAYOUT)


def calibration(points: Sequence[CalibrationPoint]) -> go.Figure:
    """Predicted confidence against the user's actual rating; the dashed line is 'perfectly calibrated'."""
    frame = pd.DataFrame({"confidence": [p.confidence for p in points], "rating": [p.rating for p in points],
                          "title": [p.title for p in points]})
    fig = px.scatter(frame, x="confidence", y="rating", hover_name="title", title="Were my picks right?",
                     range_x=[0, 1.02], range_y=[0, 5.2])
    fig.add_scatter(x=[0, 1], y=[0, 5], mode="lines", line={"dash": "dash", "color": "gray"},
                    name="calibrated", hoverinfo="skip")
    return fig.update_layout(**_LAYOUT, showlegend=False)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def watches_per_month(per_month: Sequence[int], year: int) -> go.Figure:
    """The diary's watches in each month of one year."""
    frame = pd.DataFrame({"month": list(MONTHS), "watches": list(per_month)})
    fig = px.bar(frame, x="month", y="watches", title=f"Films watched per month, {year}",
                 color_discrete_sequence=["#8ab17d"])
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(MONTHS))
    return _whole_films(fig.update_layout(**_LAYOUT), max(per_month, default=0))


def watches_by_decade(decades: Sequence[tuple[int, int]]) -> go.Figure:
    """Watches of the year by the decade the films were made."""
    frame = pd.DataFrame({"decade": [f"{d}s" for d, _ in decades], "watches": [n for _, n in decades]})
    fig = px.bar(frame, x="decade", y="watches", title="Decades of the films you watched",
                 color_discrete_sequence=["#2a9d8f"])
    fig.update_xaxes(type="category")
    return _whole_films(fig.update_layout(**_LAYOUT), max((n for _, n in decades), default=0))
