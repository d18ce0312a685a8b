"""The Taste page's charts: honest axes."""

from __future__ import annotations

from cine_core.domain.models import Movie, RatedMovie
from ui.charts import decades, rating_distribution


def rated(*ratings: float, year: int = 1995) -> list[RatedMovie]:
    return [RatedMovie(Movie(i, f"Film {i}", year=year), r) for i, r in enumerate(ratings)]


def test_how_you_rate_counts_whole_films():
    fig = rating_distribution(rated(4.0, 3.5))
    assert (fig.layout.yaxis.tick0, fig.layout.yaxis.dtick, fig.layout.yaxis.tickformat) == (0, 1, ",d")


def test_a_long_history_keeps_about_five_ticks():
    fig = decades(rated(*([4.0] * 230)))
    assert fig.layout.yaxis.dtick == 46
