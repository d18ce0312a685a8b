"""Matching import rows to films: same-title films of one year settle as Letterboxd's search does; ids win."""

from __future__ import annotations

import pytest

from cine_core.db import transaction
from cine_core.domain.models import Movie
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.resolve import choose_match
from cine_core.imports.service import import_bytes

LETTERBOXD_RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n"
IMDB_HEADER = ("Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),"
               "Year,Genres,Num Votes,Release Date,Directors\n")
# Title + year as the Letterboxd export has them -> the better-known film of the bundled catalog.
AMBIGUOUS = {
    ("El Angel", 2018): 507505,  # El Ángel (Luis Ortega), not The Angel (2018) nor Un Ange (2018)
    ("Revenge", 2017): 467938,  # Coralie Fargeat's (TMDB dates it 2018), not the two 2017 films of a dozen votes
    ("The Witness", 2015): 356332,  # 93 votes against 45
    ("A Better Life", 2011): 55720,  # Chris Weitz's, not Une vie meilleure
}


@pytest.fixture(scope="module")
def source():
    return shared_catalog_source()


def film(movie_id: int, title: str, year: int, votes: int, original_title: str | None = None) -> Movie:
    return Movie(id=movie_id, title=title, year=year, vote_count=votes, original_title=original_title)


def rated(pool, user) -> dict[int, float]:
    with transaction(pool) as conn:
        rows = conn.execute("select movie_id, rating from public.ratings where user_id = %s", (user,)).fetchall()
    return {r["movie_id"]: float(r["rating"]) for r in rows}


@pytest.mark.parametrize(("title", "year"), list(AMBIGUOUS))
def test_same_title_films_of_one_year_resolve_to_the_better_known(source, title, year):
    assert choose_match(title, year, source.search(title, year)).id == AMBIGUOUS[(title, year)]


def test_letterboxd_rows_with_shared_titles_all_match(pool, make_user, source):
    user = make_user()
    lines = "".join(f"2024-01-0{n},{title},{year},https://boxd.it/x{n},4\n"
                    for n, (title, year) in enumerate(AMBIGUOUS, start=1))
    report = import_bytes(pool, (LETTERBOXD_RATINGS + lines).encode(), "ratings.csv", user, source=source)
    assert report.unmatched == ()
    assert rated(pool, user) == {movie_id: 4.0 for movie_id in AMBIGUOUS.values()}


def test_an_imdb_id_in_the_row_beats_the_better_known_film(pool, make_user, source):
    user = make_user()
    text = IMDB_HEADER + ("tt2027265,8,2024-03-01,A Better Life,A Better Life,,Movie,6.9,110,2011,Drama,1,,\n"
                          "tt4979652,6,2024-03-02,The Witness,The Witness,,Movie,6.0,100,2015,Crime,1,,\n")
    import_bytes(pool, text.encode(), "ratings.csv", user, source=source)
    assert rated(pool, user) == {85546: 4.0, 365719: 3.0}  # Une vie meilleure; 我是证人


def test_a_trakt_tmdb_id_beats_the_better_known_film(pool, make_user, source):
    user = make_user()
    text = ('[{"rated_at": "2024-03-01T10:00:00.000Z", "rating": 8, "type": "movie",'
            ' "movie": {"title": "A Better Life", "year": 2011, "ids": {"tmdb": 85546}}}]')
    import_bytes(pool, text.encode(), "ratings-movies.json", user, source=source)
    assert rated(pool, user) == {85546: 4.0}


def test_exact_year_wins_unless_a_film_a_year_off_has_ten_times_the_votes():
    exact, famous_next_year = film(1, "Split", 2016, 27), film(2, "Split", 2017, 17_743)
    assert choose_match("Split", 2016, [exact, famous_next_year]).id == 2
    slightly_better_next_year = film(3, "Split", 2017, 200)
    assert choose_match("Split", 2016, [exact, slightly_better_next_year]).id == 1


def test_a_title_matching_with_its_article_beats_one_matching_without():
    el_angel, the_angel = film(1, "El Ángel", 2018, 50), film(2, "The Angel", 2018, 5_000)
    assert choose_match("El Angel", 2018, [the_angel, el_angel]).id == 1


def test_a_closer_title_beats_more_votes():
    assert choose_match("Revenge", 2017, [film(1, "Revenges", 2017, 9_000), film(2, "Revenge", 2017, 3)]).id == 2


def test_without_a_year_two_similar_films_stay_a_doubt():
    assert choose_match("The Witness", None, [film(1, "The Witness", 2015, 93), film(2, "The Witness", 2015, 45)]) is None
    assert choose_match("Witness", None, [film(1, "Witness", 1985, 1_735), film(2, "Witness", 2012, 20)]).id == 1


def test_films_outside_the_year_window_or_unlike_the_title_are_no_match():
    assert choose_match("Split", 2016, [film(1, "Split", 2019, 17_743)]) is None
    assert choose_match("Split", 2016, [film(1, "Splitting Heirs", 2016, 500)]) is None
