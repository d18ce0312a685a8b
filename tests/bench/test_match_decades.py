"""bench.match_decades: per-decade match rates of a Letterboxd history, and each miss classified."""

from __future__ import annotations

import gzip
import json

from bench import match_decades
from bench.match_shared import SharedTitles


def _shared_files(root):
    """A shared data folder in miniature: a MovieLens title with its TMDB id, a Wikipedia film with none."""
    (root / "ml-latest-small").mkdir(parents=True)
    (root / "ml-latest-small" / "movies.csv").write_text(
        "movieId,title,genres\n1,\"Shop Around the Corner, The (1940)\",Comedy\n", encoding="utf-8")
    (root / "ml-latest-small" / "links.csv").write_text("movieId,imdbId,tmdbId\n1,0033045,20334\n", encoding="utf-8")
    (root / "film_people" / "wikipedia_us_films").mkdir(parents=True)
    with gzip.open(root / "film_people" / "wikipedia_us_films" / "movies-1950s.json.gz", "wt", encoding="utf-8") as fh:
        json.dump([{"title": "The Big Combo", "year": 1955}], fh)
    return SharedTitles(root)


def test_a_miss_is_looked_up_in_the_shared_files_by_title_and_year(tmp_path):
    shared = _shared_files(tmp_path / "shared")
    assert shared.sources("The Shop Around the Corner", 1940) == {"movielens": "20334"}  # 'X, The' moved, id kept
    assert shared.sources("Shop Around the Corner", 1941) == {"movielens": "20334"}  # a year apart
    assert shared.sources("The Shop Around the Corner", 1950) == {}
    assert shared.sources("the big combo", 1955) == {"wikipedia": None}
    assert shared.sources("Floating Weeds", 1959) == {}


def test_rates_per_decade_and_misses_are_near_or_absent(tmp_path):
    export = tmp_path / "watched.csv"
    export.write_text("Date,Name,Year,Letterboxd URI\n"
                      "2022-01-01,The Red Shoes,1948,https://boxd.it/a\n"
                      "2022-01-02,The Red Shoes,1948,https://boxd.it/a\n"  # the same film twice counts once
                      "2022-01-02,The red shoes,1948,https://boxd.it/a\n"  # in other letters too
                      "2022-01-03,Floating Weeds,1959,https://boxd.it/b\n"  # Ozu's: in no shared file
                      "2022-01-04,Red Cliff Part II,2009,https://boxd.it/c\n"  # the catalog's 'Red Cliff II': matched
                      "2022-01-04,Blue Song,2002,https://boxd.it/f\n"  # near the catalog's 'Blue Spring' (2001)
                      "2022-01-05,Heat,1995,https://boxd.it/d\n"
                      "2022-01-06,The Big Combo,1955,https://boxd.it/e\n", encoding="utf-8")
    result = match_decades.measure([export], _shared_files(tmp_path / "shared"))
    rows = {r["decade"]: r for r in result["rows"]}
    assert (result["films"], result["matched"]) == (6, 3)
    assert (rows["1940s"]["rate"], rows["1990s"]["rate"]) == (1.0, 1.0)
    assert (rows["1950s"]["matched"], rows["1950s"]["absent"], rows["1950s"]["near_misses"]) == (0, 1, 0)
    assert (rows["1950s"]["shared_no_id"], rows["1950s"]["shared_with_id"]) == (1, 0)  # The Big Combo
    assert (rows["2000s"]["matched"], rows["2000s"]["near_misses"]) == (1, 1)
    assert "Blue Spring (2001)" in result["misses"]["2000s"][0]["near"]
    table = match_decades.markdown(result, listing=True)
    assert "| 1950s | 2 | 0 | 0.0% | 0 | 0 | 1 | 1 |" in table
    assert "1950s: Floating Weeds (1959); The Big Combo (1955) [wikipedia]" in table
