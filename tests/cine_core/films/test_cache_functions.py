"""The shared film cache through its security-definer functions: the app's own login (cine_app, no service
login) searches, fetches and falls back like the worker; the functions refuse what is not a well-formed film
or list and replace a stored film only where the cache would refetch it."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from psycopg.types.json import Jsonb

from cine_core.config import Settings
from cine_core.db import app_transaction, open_app_pool, transaction
from cine_core.domain.errors import DataError
from cine_core.domain.models import Movie
from cine_core.films.cache import MovieStore
from cine_core.films.cache_functions import film_document, store_films, store_list
from tests.cine_core.test_movie_store import LIVE_IDS, FakeTMDB

HEAT = 949  # a catalog film


@pytest.fixture
def app_pool(db_url):
    pool = open_app_pool(Settings(_env_file=None, database_url=db_url), max_size=2)
    yield pool
    pool.close()


def _film(movie_id: int = 900_100, **fields) -> dict:
    return film_document(Movie(id=movie_id, title=f"Film {movie_id}", year=2020, source="tmdb")) | fields


def _store(pool, films: list[dict], *, partial: bool = False) -> None:
    with app_transaction(pool) as conn:
        conn.execute("select public.cache_films(%s, %s)", (Jsonb(films), partial))


def _title(pool, movie_id: int) -> str | None:
    with transaction(pool) as conn:
        row = conn.execute("select title from movies where id = %s", (movie_id,)).fetchone()
    return row["title"] if row else None


def test_the_app_searches_fetches_and_falls_back_without_service_rights(app_pool, pool):
    source = FakeTMDB()
    store = MovieStore(app_pool, source)
    assert [m.id for m in store.search("Film")] == [LIVE_IDS[0]]
    assert [m.id for m in store.search("film ")] == [LIVE_IDS[0]] and source.calls["search"] == 1  # cached
    assert store.get([LIVE_IDS[0]])[LIVE_IDS[0]].directors == ("Someone",)  # details replace the partial row
    assert [m.id for m in store.trending("day", today=date(2026, 12, 9))] == LIVE_IDS
    source.down = True
    assert [m.id for m in store.trending("day", today=date(2026, 12, 10))] == LIVE_IDS  # yesterday's list
    with transaction(pool) as conn:
        keys = {r["cache_key"] for r in conn.execute("select cache_key from source_cache").fetchall()}
    assert keys == {"search:tmdb:film::10", "trending:tmdb:day:2026-12-09"}


def test_the_app_login_reads_films_but_writes_them_only_through_the_functions(app_pool):
    with app_pool.connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("select movie_ids from public.source_cache")
    with app_pool.connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("insert into public.source_cache (cache_key, movie_ids) values ('search:tmdb:x', '{}')")


@pytest.mark.parametrize("bad", [
    {"id": 0}, {"id": -5}, {"title": "  "}, {"title": "x" * 1001}, {"overview": "x" * 20_001},
    {"keywords": ["k"] * 501}, {"top_cast": ["x" * 301]}, {"year": 1200}, {"runtime": -1},
    {"vote_average": 11}, {"popularity": -1}, {"source": "wikipedia"}, {"imdb_id": "nm123"},
    {"poster_path": "javascript:alert(1)"}, {"poster_path": "https://evil.example/x.jpg"},
    {"watch_providers": ["not", "an", "object"]}, {"web_enrichment": {"x": "y" * 70_000}},
    {"fetched_at": "2999-01-01T00:00:00+00:00"}, {"title_search": "x"}, {"certification": "x" * 21},
])
def test_a_film_that_is_not_well_formed_is_refused_and_nothing_is_stored(app_pool, pool, bad):
    with pytest.raises(DataError, match="Rejected by the database: cache_films"):
        _store(app_pool, [_film(900_200), _film(900_201, **bad)])
    assert _title(pool, 900_200) is None  # not even the well-formed film of the batch


@pytest.mark.parametrize("films", [[_film(900_300 + i) for i in range(101)], {"id": 1}, [["not", "an object"]]])
def test_more_than_100_films_or_anything_but_an_array_of_objects_is_refused(app_pool, pool, films):
    with pytest.raises(DataError, match="cache_films"):
        _store(app_pool, films)
    assert _title(pool, 900_300) is None


def test_a_stored_film_is_replaced_only_where_the_cache_would_refetch_it(app_pool, pool):
    _store(app_pool, [_film(900_400, title="Partial")], partial=True)
    _store(app_pool, [_film(900_400, title="Partial again")], partial=True)  # partial: new ids only
    assert _title(pool, 900_400) == "Partial"
    _store(app_pool, [_film(900_400, title="Details")])  # details replace a partial row
    _store(app_pool, [_film(900_400, title="Vandal")])  # a fresh TMDB row stays
    assert _title(pool, 900_400) == "Details"
    _store(app_pool, [_film(HEAT, title="Catalog vandal", source="catalog")])  # a catalog film: partial rows only
    assert _title(pool, HEAT) == "Heat"
    _store(app_pool, [_film(HEAT, title="Heat (TMDB)")])  # TMDB data replaces a catalog row
    with transaction(pool) as conn:
        conn.execute("update movies set fetched_at = now() - interval '2 hours' where id = 900400")
    _store(app_pool, [_film(900_400, title="Refetched")])  # and a TMDB row an hour old or more
    assert (_title(pool, HEAT), _title(pool, 900_400)) == ("Heat (TMDB)", "Refetched")
    with transaction(pool) as conn:
        stamp = conn.execute("select fetched_at > now() - interval '1 minute' as fresh from movies where id = 949"
                             ).fetchone()
    assert stamp["fresh"]  # the function stamps fetched_at, never the caller


@pytest.mark.parametrize(("key", "ids"), [
    ("ratings:tmdb:x", [HEAT]), ("search", [HEAT]), ("search:TMDB:x", [HEAT]), ("search:tmdb:" + "x" * 600, [HEAT]),
    ("search:tmdb:x", [HEAT, 987_654_321]), ("search:tmdb:x", list(range(1, 202))),
])
def test_a_list_needs_a_cache_key_and_stored_films(app_pool, pool, key, ids):
    with pytest.raises(DataError, match="cache_film_list"), app_transaction(app_pool) as conn:
        store_list(conn, key, ids)
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from source_cache").fetchone()["n"] == 0


def test_the_latest_list_is_only_a_trending_one(app_pool):
    with app_transaction(app_pool) as conn:
        store_list(conn, "search:tmdb:my secret search::10", [HEAT])
        store_list(conn, "trending:tmdb:day:2026-12-09", [HEAT])
        rows = [conn.execute("select public.film_cache_latest(%s) as ids", (prefix,)).fetchone()["ids"]
                for prefix in ("search:", "search:tmdb:", "", "trending:tmdb:day:")]
    assert rows == [None, None, None, [HEAT]]


def test_films_without_a_title_are_left_out_by_the_store(app_pool, pool):
    with app_transaction(app_pool) as conn:
        sent = store_films(conn, [Movie(id=900_500, title=" ", source="tmdb"), Movie(id=900_501, title="Ok")])
    assert sent == 1 and _title(pool, 900_500) is None and _title(pool, 900_501) == "Ok"
