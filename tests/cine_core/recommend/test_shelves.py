"""Deep-dive and seasonal shelves, ranked for the person, with a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest

from cine_core.db import transaction, user_transaction
from cine_core.domain.models import Movie, RatedMovie, TasteProfile
from cine_core.domain.seasons import season_for
from cine_core.recommend.local_scorer import LocalMatcher
from cine_core.recommend.shelves import find_standout, list_shelves
from cine_core.taste.store import load_profile, load_rated

VILLENEUVE_LOVED = [329865, 335984, 438631, 273481]  # Arrival, Blade Runner 2049, Dune, Sicario
VILLENEUVE_UNSEEN = {46738, 146233, 181886, 693134}  # Incendies, Prisoners, Enemy, Dune: Part Two


@pytest.fixture(scope="module")
def matcher():
    return LocalMatcher()


def _rate(pool, user_id: str, ids: list[int], rating: float = 5.0) -> None:
    with transaction(pool) as conn:
        for movie_id in ids:
            conn.execute("insert into ratings (user_id, movie_id, rating) values (%s, %s, %s)",
                         (user_id, movie_id, rating))


def _shelves(pool, user_id: str, matcher, day: date):
    with user_transaction(pool, user_id) as conn:
        return list_shelves(conn, matcher, user_id, load_profile(conn, user_id), load_rated(conn, user_id), today=day)


def test_four_loved_villeneuve_films_open_a_villeneuve_shelf_of_the_unseen(pool, local_user, matcher):
    from cine_core.recommend.ranker.rank import history_from, shared_ranker

    _rate(pool, local_user, VILLENEUVE_LOVED)
    ranker = shared_ranker()  # built: the shelf is in the picks' own order (not the warm-up fallback)
    shelves = _shelves(pool, local_user, matcher, date(2026, 5, 12))
    assert [s.key for s in shelves] == ["person"]
    shelf = shelves[0]
    assert shelf.title == "Since you loved Denis Villeneuve…"
    ids = {f.movie.id for f in shelf.films}
    assert ids <= VILLENEUVE_UNSEEN | {1170608} and ids & VILLENEUVE_UNSEEN and not ids & set(VILLENEUVE_LOVED)
    assert 1170608 not in ids  # Dune: Part Three is not out on 12 May 2026
    assert all(f.reason.startswith("Directed by Denis Villeneuve, like ") for f in shelf.films)
    with pool.connection() as conn:
        rated = load_rated(conn, local_user)
    order = [f.movie_id for f in ranker.rank(history_from(rated), among=[f.movie.id for f in shelf.films], limit=20)]
    assert [f.movie.id for f in shelf.films] == order
    assert all(0 < f.confidence < 1 for f in shelf.films)


def test_three_loved_films_of_an_actor_are_not_yet_a_pattern():
    def film(i: int, cast: tuple[str, ...]) -> RatedMovie:
        return RatedMovie(Movie(i, f"Film {i}", cast=cast, directors=(f"Director {i}",)), 5.0)

    rated = [film(i, ("Amy Adams", "Someone")) for i in range(3)]
    assert find_standout(rated, TasteProfile()) is None
    standout = find_standout([*rated, film(9, ("Amy Adams",))], TasteProfile())
    assert (standout.name, standout.role, len(standout.loved)) == ("Amy Adams", "actor", 4)
    assert find_standout([*rated, film(9, ("Amy Adams",))],
                         TasteProfile(removed=frozenset({"person:amy adams"}))) is None


def test_on_20_october_there_is_a_halloween_shelf_and_in_may_none(pool, local_user, matcher):
    _rate(pool, local_user, [694, 539], 4.5)  # The Shining, Psycho
    october = _shelves(pool, local_user, matcher, date(2026, 10, 20))
    assert [s.key for s in october] == ["halloween"]
    assert len(october[0].films) == 6 and not {f.movie.id for f in october[0].films} & {694, 539}
    assert all("Horror" in f.movie.genres or "halloween" in [k.lower() for k in f.movie.keywords]
               or "haunted house" in [k.lower() for k in f.movie.keywords] for f in october[0].films)
    assert _shelves(pool, local_user, matcher, date(2026, 5, 20)) == []


@pytest.mark.parametrize(("day", "season"), [(date(2026, 12, 18), "christmas"), (date(2027, 2, 10), "valentines"),
                                             (date(2026, 7, 4), "summer"), (date(2026, 3, 3), None)])
def test_each_season_near_its_dates(day, season):
    found = season_for(day)
    assert (found.name if found else None) == season


def test_the_seasonal_shelf_is_personalised_by_taste(pool, make_user, matcher):
    horror_fan, family_fan = make_user(), make_user()
    _rate(pool, horror_fan, [694, 539, 348], 5.0)  # The Shining, Psycho, Alien
    _rate(pool, family_fan, [862, 12, 585], 5.0)  # Toy Story, Finding Nemo, Monsters, Inc.
    day = date(2026, 12, 10)
    first = [f.movie.id for f in _shelves(pool, horror_fan, matcher, day)[-1].films]
    second = [f.movie.id for f in _shelves(pool, family_fan, matcher, day)[-1].films]
    assert first != second


def test_a_film_marked_watched_never_comes_back_on_a_shelf(pool, local_user, matcher):
    _rate(pool, local_user, [694, 539], 4.5)  # The Shining, Psycho
    first = _shelves(pool, local_user, matcher, date(2026, 10, 20))[0].films
    seen = first[0].movie.id
    with transaction(pool) as conn:
        conn.execute("insert into watchlist (user_id, movie_id, added_at, watched_at) values (%s, %s, now(), now())",
                     (local_user, seen))
    again = _shelves(pool, local_user, matcher, date(2026, 10, 20))[0].films
    assert seen not in {f.movie.id for f in again} and len(again) == 6
