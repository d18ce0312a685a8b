"""The bundled offline catalog: loading, idempotence, and CatalogSource behaviour."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from cine_core.db import transaction
from cine_core.domain.errors import TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.films.catalog import catalog_movies
from cine_core.films.catalog_loader import load_catalog_into_db
from cine_core.films.catalog_source import CatalogSource
from cine_core.films.rows import movies_by_ids, upsert_movies

MATRIX = 603
DARK_KNIGHT = 155


@pytest.fixture(scope="module")
def source() -> CatalogSource:
    return CatalogSource()


def _count(pool) -> int:
    with transaction(pool) as conn:
        return conn.execute("select count(*) as n from public.movies where source = 'catalog'").fetchone()["n"]


def test_setup_loads_at_least_3000_films(pool):
    assert _count(pool) >= 3000
    assert _count(pool) == len(catalog_movies())


def test_catalog_has_the_fields_the_scout_needs():
    films = catalog_movies()
    assert sum(bool(m.overview) for m in films) > 0.9 * len(films)
    assert sum(bool(m.genres) for m in films) > 0.9 * len(films)
    assert sum(bool(m.imdb_id) for m in films) > 0.9 * len(films)
    assert sum(bool(m.poster_path) for m in films) > 0.85 * len(films)
    # Credits and keywords exist in the shared data for films up to 2015 (and ~3,800 recent ones).
    older = [m for m in films if m.year and m.year <= 2015 and m.vote_count >= 100]
    assert sum(bool(m.directors) for m in older) > 0.7 * len(older)
    assert sum(bool(m.keywords) for m in older) > 0.5 * len(older)
    assert sum(bool(m.directors) for m in films if m.year and m.year >= 2024) > 200
    assert not any("Ã" in name for m in films for name in m.directors + m.cast)


def test_catalog_runs_through_2025(pool):
    with transaction(pool) as conn:
        recent = conn.execute("select count(*) as n from public.movies where release_date >= '2018-01-01'").fetchone()
        newest = conn.execute("select max(extract(year from release_date))::int as y from public.movies"
                              " where release_date <= '2025-12-31' and vote_count >= 50").fetchone()
    assert recent["n"] > 5000
    assert newest["y"] == 2025
    assert {"La La Land", "Arrival", "Get Out", "Moonlight", "Blade Runner 2049", "Parasite", "Oppenheimer"} <= {
        m.title for m in catalog_movies() if m.year and m.year >= 2016}


def test_offline_trending_shows_this_years_films(source):
    shelf = source.trending(limit=20, today=date(2025, 7, 1))
    assert len(shelf) == 20 and all(m.year >= 2024 for m in shelf)


def test_setup_upgrades_an_existing_catalog_in_place_and_keeps_user_data(pool, make_user, tmp_path):
    import gzip
    import json

    user = make_user()
    with transaction(pool) as conn:
        conn.execute("insert into public.ratings (user_id, movie_id, rating) values (%s, %s, 4.5)", (user, MATRIX))
        conn.execute("update public.movies set overview = 'stale' where id = %s", (DARK_KNIGHT,))
    upgraded = tmp_path / "catalog.jsonl.gz"
    with gzip.open(upgraded, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": 999_999_001, "title": "A Film Added Later", "year": 2025, "genres": ["Drama"]}) + "\n")
        fh.write(json.dumps({"id": DARK_KNIGHT, "title": "The Dark Knight", "year": 2008, "overview": "Fresh."}) + "\n")
    assert load_catalog_into_db(pool, path=upgraded) == 2
    assert load_catalog_into_db(pool, path=upgraded) == 2  # recorded: the second run reads nothing
    with transaction(pool) as conn:
        films = movies_by_ids(conn, [999_999_001, DARK_KNIGHT])
        rating = conn.execute("select rating from public.ratings where user_id = %s", (user,)).fetchone()
        versions = conn.execute("select count(*) as n from public.catalog_versions").fetchone()["n"]
    assert films[999_999_001].title == "A Film Added Later" and films[DARK_KNIGHT].overview == "Fresh."
    assert float(rating["rating"]) == 4.5
    assert versions == 2


def test_loading_twice_changes_nothing(pool):
    before = _count(pool)
    assert load_catalog_into_db(pool) == before
    assert _count(pool) == before


def test_catalog_never_overwrites_live_tmdb_row(pool):
    live = Movie(id=MATRIX, title="The Matrix (live)", year=1999, source="tmdb",
                 fetched_at=datetime.now(timezone.utc))
    with transaction(pool) as conn:
        upsert_movies(conn, [live])
    load_catalog_into_db(pool, force=True)
    with transaction(pool) as conn:
        stored = movies_by_ids(conn, [MATRIX])[MATRIX]
    assert (stored.title, stored.source) == ("The Matrix (live)", "tmdb")


def test_trending_differs_across_days_and_is_stable_within_one(source):
    monday = [m.id for m in source.trending(today=date(2026, 11, 23))]
    again = [m.id for m in source.trending(today=date(2026, 11, 23))]
    tuesday = [m.id for m in source.trending(today=date(2026, 11, 24))]
    assert len(monday) == 40 and monday == again
    assert monday != tuesday


def test_weekly_trending_is_stable_within_the_week(source):
    assert [m.id for m in source.trending("week", today=date(2026, 11, 23))] == [
        m.id for m in source.trending("week", today=date(2026, 11, 27))
    ]


def test_similar_films_share_genres_or_people(source):
    seed = source.details(MATRIX)
    similar = source.similar(MATRIX, limit=10)
    assert len(similar) == 10 and seed.id not in {m.id for m in similar}
    for film in similar:
        shared = (set(film.genres) & set(seed.genres)) | (set(film.directors) & set(seed.directors)) | (
            set(film.cast) & set(seed.cast)) | (set(film.keywords) & set(seed.keywords))
        assert shared, film.title
    assert any(set(m.directors) & set(seed.directors) for m in similar)


def test_recommendations_favour_the_same_director(source):
    recs = source.recommendations(DARK_KNIGHT, limit=10)
    assert sum("Christopher Nolan" in m.directors for m in recs) >= 3


def test_search_ignores_accents_case_and_small_typos(source):
    assert source.search("amelie")[0].title == "Amélie"
    assert source.search("THE GODFATHER", 1972)[0].id == 238
    assert source.search("The Godfathr")[0].id in {238, 240, 242}


def test_search_with_year_keeps_only_year_plus_minus_one(source):
    assert all(abs(m.year - 1972) <= 1 for m in source.search("The Godfather", 1972))


def test_discover_filters_genres_years_and_runtime(source):
    found = source.discover(genres=["Horror"], year_from=1990, year_to=1999, runtime_max=100, limit=15)
    assert len(found) == 15
    assert all("Horror" in m.genres and 1990 <= m.year <= 1999 and m.runtime <= 100 for m in found)


def test_find_imdb_and_missing_details(source):
    assert source.find_imdb("tt0133093").id == MATRIX
    assert source.find_imdb("tt0000000") is None
    with pytest.raises(TMDBNotFound):
        source.details(999_999_999)
