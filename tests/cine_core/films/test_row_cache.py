"""The parsed-row cache gives the rows the database holds now, whoever wrote them, and parses each version once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from cine_core.db import open_pool, transaction
from cine_core.domain.models import Movie
from cine_core.films.cache import MovieStore
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.films.row_cache import ParsedRows
from cine_core.films.rows import movies_by_ids, upsert_movies

IDS = list(range(910_001, 910_031))


def _film(movie_id: int, title: str = "") -> Movie:
    return Movie(id=movie_id, title=title or f"Film {movie_id}", year=2001, release_date=date(2001, 5, 4),
                 overview="A film.", genres=("Drama", "Crime"), keywords=("heist",), directors=("Some One",),
                 cast=("A", "B"), runtime=101, original_language="en", popularity=movie_id % 97 / 3,
                 vote_average=7.1, vote_count=movie_id % 1000, watch_providers={"US": {"flatrate": ["X"]}},
                 enrichment={"wiki": "text"}, source="tmdb", fetched_at=datetime(2026, 12, 1, tzinfo=timezone.utc))


def test_the_cached_rows_are_the_databases_rows_before_and_after_another_process_writes(pool, db_url):
    with transaction(pool) as conn:
        upsert_movies(conn, [_film(i) for i in IDS])
    cache = ParsedRows()
    wanted = [*IDS[:20], 999_999_999]  # one id the table does not have
    with transaction(pool) as conn:
        assert cache.movies_by_ids(conn, wanted) == movies_by_ids(conn, wanted)
        assert cache.parsed == 20
        assert cache.movies_by_ids(conn, IDS) == movies_by_ids(conn, IDS)
        assert cache.parsed == 30  # the 20 held rows were not fetched again
    other = open_pool(db_url, max_size=1, name="another-process")  # a writer the cache never hears from
    try:
        with transaction(other) as conn:
            upsert_movies(conn, [replace(_film(IDS[3], "Renamed"), vote_count=5)])
            upsert_movies(conn, [_film(IDS[4])], partial=True)  # an id it has: nothing changes
    finally:
        other.close()
    with transaction(pool) as conn:
        cached, plain = cache.movies_by_ids(conn, IDS), movies_by_ids(conn, IDS)
    assert cached == plain and cached[IDS[3]].title == "Renamed" and cached[IDS[3]].vote_count == 5
    assert cache.parsed == 31  # only the rewritten row
    with transaction(pool) as conn:
        conn.execute("delete from movies where id = %s", (IDS[5],))
        assert IDS[5] not in cache.movies_by_ids(conn, IDS)


def test_the_oldest_used_rows_go_past_the_limit(pool):
    with transaction(pool) as conn:
        upsert_movies(conn, [_film(i) for i in IDS])
        cache = ParsedRows(max_rows=10)
        assert len(cache.movies_by_ids(conn, IDS)) == 30 and len(cache) == 10
        assert cache.movies_by_ids(conn, IDS[-10:]) == movies_by_ids(conn, IDS[-10:]) and cache.parsed == 30


def test_the_film_store_reads_through_the_cache(pool):
    from cine_core.films import row_cache

    with transaction(pool) as conn:
        upsert_movies(conn, [_film(i) for i in IDS])
    store = MovieStore(pool, shared_catalog_source())
    before = row_cache._shared.parsed
    assert store.get(IDS) == store.get(IDS)
    with transaction(pool) as conn:
        assert store.get(IDS) == movies_by_ids(conn, IDS)
    assert row_cache._shared.parsed - before == len(IDS)  # parsed once: this database's rows are new to it

