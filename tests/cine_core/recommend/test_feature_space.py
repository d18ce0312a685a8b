"""The local matcher's feature space: a list mixing corpus films and films outside it gets each film's own row,
in the list's order, however the rows of the films outside are kept (and after they are started afresh)."""

from __future__ import annotations

import numpy as np

from cine_core.domain.models import Movie
from cine_core.recommend import features
from cine_core.recommend.features import FeatureSpace


def film(i, genres, keywords, director, overview, year=2010, votes=500):
    return Movie(id=i, title=f"Film {i}", year=year, genres=tuple(genres), keywords=tuple(keywords),
                 directors=(director,), overview=overview, vote_count=votes, vote_average=7.0, runtime=100)


CORPUS = [film(1, ["Crime"], ["heist", "bank"], "Mann", "A thief plans one last bank job in the city."),
          film(2, ["Drama"], ["family", "war"], "Lean", "A family is torn apart by the war in the desert."),
          film(3, ["Crime", "Drama"], ["heist", "family"], "Mann", "A family of thieves plans a heist in the city."),
          film(4, ["Comedy"], ["bank", "wedding"], "Ephron", "A wedding planner falls for a bank clerk.")]
OUTSIDE = [film(10, ["Crime"], ["heist"], "Mann", "Thieves in the desert city.", 2024, 40),
           film(11, ["Comedy", "Drama"], ["wedding", "war"], "Lean", "A war wedding.", 1950, 30),
           film(12, ["Drama"], ["family"], "Ephron", "A family bank.", 1999, 20)]


def rows_of(encoded, i):
    """Everything a film's row holds, as plain values."""
    return ([encoded.tokens[f][i].toarray().tolist() for f in features.FAMILIES], encoded.text[i].toarray().tolist(),
            encoded.similar[i].toarray().tolist(),
            [float(getattr(encoded, name)[i]) for name in ("decade", "year", "runtime", "quality", "votes")],
            bool(encoded.has_metadata[i]))


def test_a_mixed_list_gets_each_films_own_row_in_its_order(monkeypatch):
    space = FeatureSpace(CORPUS)
    alone = {m.id: rows_of(space._encode([m]), 0) for m in OUTSIDE}
    alone |= {m.id: rows_of(space.corpus, i) for i, m in enumerate(CORPUS)}
    lists = [[OUTSIDE[0], CORPUS[1], OUTSIDE[1], CORPUS[0], OUTSIDE[0]], [CORPUS[2], OUTSIDE[2]], OUTSIDE[::-1],
             [CORPUS[3], OUTSIDE[1], CORPUS[3]]]
    for films in lists:
        encoded = space.encode(films)
        assert [rows_of(encoded, i) for i in range(len(films))] == [alone[m.id] for m in films]
    assert len(space._extra[0]) == 3  # each film outside encoded once
    monkeypatch.setattr(features, "MAX_EXTRA_ROWS", 2)  # past the cap the rows start afresh: still every film's own
    space = FeatureSpace(CORPUS)
    for films in lists:
        encoded = space.encode(films)
        assert [rows_of(encoded, i) for i in range(len(films))] == [alone[m.id] for m in films]
    assert np.isfinite(space.encode(OUTSIDE).votes).all()
