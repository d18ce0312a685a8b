"""MovieStore: one fetch per film per TTL for all users, list caching, serving the cache when TMDB is down."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from cine_core.db import transaction
from cine_core.domain.errors import TMDBNotFound, TMDBUnavailable
from cine_core.domain.models import Movie
from cine_core.films.cache import MovieStore
from cine_core.films.catalog_source import shared_catalog_source

LIVE_IDS = [900_001, 900_002, 900_003, 900_004]


class FakeTMDB:
    """A MovieSource named 'tmdb' that counts calls and can be switched off."""

    name = "tmdb"

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.down = False

    def _check(self, op: str) -> None:
        self.calls[op] += 1
        if self.down:
            raise TMDBUnavailable("TMDB is down (test)")

    def _film(self, movie_id: int, *, full: bool) -> Movie:
        return Movie(id=movie_id, title=f"Film {movie_id}", year=2020, genres=("Drama",),
                     directors=("Someone",) if full else (), source="tmdb",
                     fetched_at=datetime.now(timezone.utc) if full else None)

    def details(self, movie_id: int) -> Movie:
        self._check("details")
        if movie_id == 999_404:
            raise TMDBNotFound()
        return self._film(movie_id, full=True)

    def trending(self, window="day", *, limit=40, today=None):
        self._check("trending")
        return [self._film(i, full=False) for i in LIVE_IDS][:limit]

    def recommendations(self, movie_id, *, limit=20):
        self._check("recommendations")
        return [self._film(i, full=False) for i in LIVE_IDS[:3]]

    def similar(self, movie_id, *, limit=20):
        self._check("similar")
        return [self._film(i, full=False) for i in LIVE_IDS[2:]] + [self._film(movie_id, full=False)]

    def search(self, title, year=None, *, limit=10):
        self._check("search")
        return [self._film(LIVE_IDS[0], full=False)]

    def discover(self, *, genres=(), year_from=None, year_to=None, runtime_max=None, limit=20):
        self._check("discover")
        return [self._film(i, full=False) for i in LIVE_IDS]

    def find_imdb(self, imdb_id):
        return None


def scout_pass(store: MovieStore, users: int) -> None:
    """What the scout does per user: trending + similar to a rated film, then details for the candidates."""
    for _ in range(users):
        candidates = store.trending("day", today=date(2026, 11, 23)) + store.similar_to(603)
        films = store.get(m.id for m in candidates)
        assert all(films[m.id].directors for m in candidates)


def test_two_users_cost_the_same_detail_calls_as_one(pool, db_url):
    one = FakeTMDB()
    scout_pass(MovieStore(pool, one), users=1)
    with transaction(pool) as conn:
        conn.execute("delete from public.source_cache")
        conn.execute("delete from public.movies where id = any(%s)", (LIVE_IDS,))
        conn.execute("update public.movies set source = 'catalog' where id = 603")
    two = FakeTMDB()
    scout_pass(MovieStore(pool, two), users=2)
    assert two.calls == one.calls
    assert one.calls["details"] == len(LIVE_IDS)


def test_second_pass_within_ttl_makes_no_calls(pool):
    source = FakeTMDB()
    store = MovieStore(pool, source)
    scout_pass(store, users=1)
    before = source.calls.copy()
    scout_pass(MovieStore(pool, source), users=1)
    assert source.calls == before


def test_stale_films_are_refetched_after_the_ttl(pool):
    source = FakeTMDB()
    store = MovieStore(pool, source, ttl=timedelta(days=7))
    store.get(LIVE_IDS)
    with transaction(pool) as conn:
        conn.execute("update public.movies set fetched_at = now() - interval '8 days' where id = %s", (LIVE_IDS[0],))
    store.get(LIVE_IDS)
    assert source.calls["details"] == len(LIVE_IDS) + 1


def test_catalog_rows_are_refetched_when_tmdb_is_the_source(pool):
    source = FakeTMDB()
    film = MovieStore(pool, source).movie(603)
    assert film.source == "tmdb" and source.calls["details"] == 1


def test_tmdb_down_serves_cached_data(pool):
    source = FakeTMDB()
    store = MovieStore(pool, source, ttl=timedelta(days=7))
    trending = store.trending("day", today=date(2026, 11, 23))
    store.get(LIVE_IDS)
    with transaction(pool) as conn:
        conn.execute("update public.movies set fetched_at = now() - interval '30 days'")
    source.down = True
    # Stale films and an older day's trending list are served instead of an error.
    assert set(store.get(LIVE_IDS)) == set(LIVE_IDS)
    assert [m.id for m in store.trending("day", today=date(2026, 11, 24))] == [m.id for m in trending]
    assert store.movie(603).title == "The Matrix"  # catalog row


def test_tmdb_down_with_nothing_cached_raises_typed_error(pool):
    source = FakeTMDB()
    source.down = True
    store = MovieStore(pool, source)
    with pytest.raises(TMDBUnavailable):
        store.get([900_999])
    with pytest.raises(TMDBUnavailable):
        store.trending("day")


def test_unknown_film_is_absent_not_an_error(pool):
    assert MovieStore(pool, FakeTMDB()).get([999_404]) == {}


def test_similar_to_merges_both_endpoints_without_the_seed(pool):
    films = MovieStore(pool, FakeTMDB()).similar_to(603)
    assert [m.id for m in films] == LIVE_IDS


def test_search_and_discover_are_cached(pool):
    source = FakeTMDB()
    store = MovieStore(pool, source)
    for _ in range(2):
        assert store.search("Film", 2020)[0].id == LIVE_IDS[0]
        assert len(store.discover(genres=["Drama"], year_from=2000)) == 4
    assert source.calls["search"] == 1 and source.calls["discover"] == 1


def test_offline_catalog_store_needs_no_fetches(pool):
    store = MovieStore(pool, shared_catalog_source())
    trending = store.trending("day", today=date(2026, 11, 23))
    films = store.get(m.id for m in trending)
    assert len(films) == 40 and all(f.directors or f.cast or f.genres for f in films.values())
    assert store.similar_to(603)
