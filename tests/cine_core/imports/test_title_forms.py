"""The matcher's other title forms (issue 23.3): letters Unicode does not decompose, a sequel's number, a film's
older TMDB titles and its IMDb year; each rule with a real Letterboxd row it wins and a row it must not take."""

from __future__ import annotations

import pytest

from cine_core.domain.models import Movie
from cine_core.films.catalog_source import CatalogSource, shared_catalog_source
from cine_core.films.title_aliases import Aliases, in_year_window, read_aliases
from cine_core.films.title_forms import fold_letters, variant_key
from cine_core.imports.resolve import choose_match, match_title


def film(movie_id: int, title: str, year: int, votes: int = 100, original_title: str | None = None) -> Movie:
    return Movie(id=movie_id, title=title, year=year, vote_count=votes, original_title=original_title)


@pytest.fixture(scope="module")
def catalog():
    return shared_catalog_source()


def test_letters_without_a_decomposition_fold_like_accented_ones():
    assert fold_letters("Baskın") == "Baskin"
    assert fold_letters("Ænigma") == "Aenigma"
    assert variant_key("Søren Kierkegaard") == variant_key("Soren Kierkegaard")
    assert variant_key("Łódź") == "lodz"


def test_a_sequels_number_is_one_form_whatever_its_spelling():
    assert variant_key("Red Cliff Part II") == variant_key("Red Cliff II") == variant_key("Red Cliff 2") == "red cliff 2"
    assert variant_key("The Godfather: Part III") == variant_key("The Godfather Part 3")
    # One letter is a word or a name as often as a number, and 'part' without a number stays a word.
    assert variant_key("Malcolm X") == "malcolm x"
    assert variant_key("Part of the Weekend Never Dies") == "part of the weekend never dies"


def test_a_variant_title_is_the_same_title_for_the_matcher():
    baskin, bask = film(1, "Baskin", 2015, 300, "Baskın: Karabasan"), film(2, "Bask", 2015, 5_000)
    assert choose_match("Baskın", 2015, [bask, baskin], aliases={}).id == 1
    red_cliff = film(3, "Red Cliff II", 2009, 900)
    assert choose_match("Red Cliff Part II", 2009, [red_cliff], aliases={}).id == 3
    assert choose_match("Red Cliff Part II", 2009, [film(4, "Red Cliff", 2008, 1_500)], aliases={}) is None


def test_an_older_tmdb_title_matches_the_film():
    lady = film(4550, "Lady Vengeance", 2005, 1_200, "친절한 금자씨")
    mister = film(4689, "Sympathy for Mr. Vengeance", 2002, 1_100)
    aliases = {4550: Aliases(titles=("Sympathy for Lady Vengeance",))}
    assert choose_match("Sympathy for Lady Vengeance", 2005, [mister, lady], aliases=aliases).id == 4550
    assert choose_match("Sympathy for Lady Vengeance", 2005, [mister, lady], aliases={}) is None


def test_the_imdb_year_counts_exactly_and_only_exactly():
    youre_next = film(83899, "You're Next", 2013, 2_500)
    aliases = {83899: Aliases(years=(2011,))}
    assert choose_match("You're Next", 2011, [youre_next], aliases=aliases).id == 83899
    assert choose_match("You're Next", 2011, [youre_next], aliases={}) is None  # two years off TMDB's date
    assert choose_match("You're Next", 2010, [youre_next], aliases=aliases) is None  # no window around 2011
    assert in_year_window(2013, (2011,), 2012) and not in_year_window(2013, (2011,), 2010)
    assert not in_year_window(None, (), 2010)


def test_the_catalog_search_finds_a_film_by_its_variant_and_its_aliases():
    source = CatalogSource([film(334394, "Baskin", 2015, 300), film(15384, "Red Cliff II", 2009, 900),
                            film(83899, "You're Next", 2013, 2_500), film(4550, "Lady Vengeance", 2005, 1_200)],
                           aliases={83899: Aliases(years=(2011,)), 4550: Aliases(titles=("Sympathy for Lady Vengeance",))})
    assert [m.id for m in source.search("Baskın", 2015)] == [334394]
    assert [m.id for m in source.search("Red Cliff Part 2", 2009)] == [15384]
    assert [m.id for m in source.search("You're Next", 2011)] == [83899]
    assert [m.id for m in source.search("Sympathy for Lady Vengeance", 2005)] == [4550]


@pytest.mark.parametrize(("title", "year", "movie_id"), [
    ("Baskın", 2015, 334394),  # Turkish dotless i
    ("Red Cliff Part II", 2009, 15384),  # TMDB: Red Cliff II
    ("Sympathy for Lady Vengeance", 2005, 4550),  # TMDB's older title
    ("Ringu", 1998, 2671),  # TMDB's older title of 'Ring'
    ("You're Next", 2011, 83899),  # IMDb and Letterboxd 2011, TMDB 2013
    ("Terrifier", 2016, 420634),  # festival 2016, TMDB 2018
])
def test_real_letterboxd_rows_match_the_bundled_catalog(catalog, title, year, movie_id):
    found = match_title(catalog, title, year)
    assert found is not None and found.id == movie_id


def test_the_bundled_aliases_name_catalog_films_only_and_years_near_tmdbs(catalog):
    aliases = read_aliases()
    assert len(aliases) > 1_000
    for movie_id, other in aliases.items():
        movie = catalog.details(movie_id)  # raises when the film is not in the catalog
        assert all(abs(y - movie.year) <= 2 and y != movie.year for y in other.years)
