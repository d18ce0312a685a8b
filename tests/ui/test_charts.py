"""The Taste page's charts: honest axes."""

from __future__ import annotations

from datetime import UTC, datetime

from cine_core.domain.models import Movie, RatedMovie
from ui.charts import decades, favourite_people, rating_distribution, ratings_over_time


def rated(*ratings: float, year: int = 1995) -> list[RatedMovie]:
    return [RatedMovie(Movie(i, f"Film {i}", year=year), r) for i, r in enumerate(ratings)]


def whole_ticks(axis) -> list:
    """The count axis lists its ticks explicitly: whole numbers from 0, labelled as they are."""
    assert axis.tickmode == "array"
    assert all(float(t).is_integer() for t in axis.tickvals) and axis.tickvals[0] == 0
    assert list(axis.ticktext) == [f"{t:,}" for t in axis.tickvals]
    return list(axis.tickvals)


def test_how_you_rate_counts_whole_films():
    fig = rating_distribution(rated(4.0, 3.5))
    assert whole_ticks(fig.layout.yaxis) == [0, 1]


def test_a_long_history_keeps_about_five_ticks():
    fig = decades(rated(*([4.0] * 230)))
    assert whole_ticks(fig.layout.yaxis) == [0, 46, 92, 138, 184, 230]


def test_ratings_over_time_counts_whole_films_and_keeps_the_star_axis():
    dated = [RatedMovie(Movie(i, f"Film {i}"), 4.0, datetime(2024, 1 + i % 3, 1, tzinfo=UTC)) for i in range(4)]
    fig = ratings_over_time(dated)
    assert whole_ticks(fig.layout.yaxis) == [0, 1, 2]  # never "2 2 3" (issue 23.9)
    assert list(fig.layout.yaxis2.tickvals) == [0, 1, 2, 3, 4, 5]


def test_ratings_over_time_labels_months_on_a_date_axis_under_a_legend_that_sits_above_the_plot():
    dated = [RatedMovie(Movie(i, f"Film {i}"), 4.0, datetime(2019 + i // 12, 1 + i % 12, 3, tzinfo=UTC))
             for i in range(30)]
    fig = ratings_over_time(dated)
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%b %Y"
    assert list(fig.data[0].x[:2]) == ["2019-01-01", "2019-02-01"]  # one bar per month, at the month's start
    assert fig.layout.legend.yanchor == "bottom" and fig.layout.legend.y >= 1.0  # never over the month labels


def test_favourite_people_are_those_rated_highest_over_three_films_or_more_whole_names_kept():
    def film(i, director, cast=()):
        return Movie(i, f"Film {i}", year=1990, directors=(director,), cast=cast)

    rated_films = [RatedMovie(film(i, "Michael Mann"), 5.0) for i in range(3)]
    rated_films += [RatedMovie(film(10 + i, "Ridley Scott", ("Kelvin Harrison", "Jr.")), 5.0) for i in range(12)]
    rated_films += [RatedMovie(film(30 + i, "Tom Hooper"), 1.5) for i in range(4)]  # often seen, not liked
    rated_films += [RatedMovie(film(40, "Once Only"), 5.0)]
    fig = favourite_people(rated_films)
    people = list(fig.data[0].y)[::-1]  # drawn bottom-up
    assert people == ["Kelvin Harrison Jr.", "Ridley Scott", "Michael Mann"]  # 12 films at 5★ before 3
    assert list(fig.data[0].x)[::-1] == [5.0, 5.0, 5.0] and list(fig.data[0].text)[::-1] == ["12 films"] * 2 + ["3 films"]
    assert fig.layout.xaxis.title.text == "your average ★"


def test_no_favourite_people_chart_without_three_films_of_someone():
    assert favourite_people([RatedMovie(Movie(1, "Heat", directors=("Michael Mann",)), 5.0)]) is None
    assert favourite_people([]) is None
