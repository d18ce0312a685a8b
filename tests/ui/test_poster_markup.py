"""Markup from outside: a poster URL reaches the style attribute only if it is a TMDB image URL."""

from __future__ import annotations

import pytest

from cine_core.domain.models import Movie
from tests.cine_core.films.test_tmdb_untrusted import HOSTILE_POSTERS
from ui.format import poster_html


@pytest.mark.parametrize("poster", [p for p in HOSTILE_POSTERS if isinstance(p, str) and p])
def test_a_hostile_poster_path_already_in_the_database_draws_the_placeholder(poster):
    movie = Movie(id=1, title='<b>"Heat"</b>', year=1995, poster_path=poster)
    markup = poster_html(movie.poster_url(), movie.title, movie.year)
    assert "evil.example" not in markup and "onmouseover" not in markup and "passwd" not in markup
    assert markup.count("url(") == 1 and "data:image/svg+xml;base64," in markup  # the drawn placeholder only
    assert "<b>" not in markup


def test_a_tmdb_poster_is_layered_over_the_placeholder():
    movie = Movie(id=1, title="Heat", year=1995, poster_path="/rrBuGu0Pjq7Y2BWSI6teGfZzviY.jpg")
    markup = poster_html(movie.poster_url(), movie.title, movie.year)
    assert "url('https://image.tmdb.org/t/p/w342/rrBuGu0Pjq7Y2BWSI6teGfZzviY.jpg')" in markup
