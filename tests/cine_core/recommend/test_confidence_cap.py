"""No confidence ever reads 100%: the local scorer's confidences stop at 0.99, whatever the history (#23.4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cine_core.domain.models import RatedMovie
from cine_core.films.catalog import catalog_movies
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.taste.profile import build_profile


def test_one_standout_film_against_a_long_history_is_never_certain():
    """511 ratings loving romance, one romance among 400 films of other genres: it stands far out (it scored
    0.9968, shown as 100%, before the cap)."""
    films = sorted(catalog_movies(), key=lambda m: -m.vote_count)
    rated = [RatedMovie(m, 5.0 if "Romance" in m.genres else 1.0, datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=n))
             for n, m in enumerate(films[:511])]
    romance = [m for m in films[511:] if "Romance" in m.genres and "Drama" in m.genres][:1]
    others = [m for m in films[511:4000] if m.genres and not {"Romance", "Drama", "Comedy"} & set(m.genres)][:400]
    matches = LocalMatcher().match(profile=build_profile(rated), rated=rated, candidates=romance + others)
    best = max(m.confidence for m in matches)
    assert 0.95 < best <= 0.99
    assert f"{best:.0%}" == "99%"
