"""bench.cost's simulated world: trending moves on daily, the same days for every design, realistic replies."""

from __future__ import annotations

import argparse
import json

import httpx
import pytest

from bench.cost import day_plans, postgres_cpu, realistic_verdicts, scout_context
from bench.cost_fake import NEW_TRENDING_PER_DAY, DailyTMDB, FastCatalog
from cine_core.config import Settings
from cine_core.domain.models import RatedMovie, TasteProfile
from cine_core.films.catalog import catalog_movies
from cine_core.films.catalog_source import CatalogSource
from cine_core.recommend import pipeline
from cine_core.recommend.claude_scorer import REASON_FROM, request_params
from cine_core.recommend.ranker.rank import CatalogRanker


def trending_ids(fake: DailyTMDB) -> list[int]:
    response = fake(httpx.Request("GET", "https://tmdb.test/3/trending/movie/day"))
    return [item["id"] for item in response.json()["results"]]


def test_the_trending_list_moves_on_every_day():
    fake = DailyTMDB()
    first = trending_ids(fake)
    fake.day = 1
    second = trending_ids(fake)
    assert first[NEW_TRENDING_PER_DAY:] == second[:len(first) - NEW_TRENDING_PER_DAY]
    assert fake.count("trending") == 2


def test_every_design_gets_the_same_days_with_the_planned_activity_shares():
    args = argparse.Namespace(users=2000, days=2, seed=3)
    plans = day_plans(args)
    assert plans == day_plans(args)
    kinds = [what for _, what, _ in plans[0]]
    assert abs(kinds.count("rate") / 2000 - 0.20) < 0.03
    assert abs(kinds.count("chat") / 2000 - 0.05) < 0.02
    assert abs(kinds.count("import") / 2000 - 0.02) < 0.01


def test_verdicts_cite_a_rated_film_at_realistic_length_with_measured_tokens():
    films = sorted(catalog_movies(), key=lambda m: -m.popularity)[:12]
    rated = [RatedMovie(films[0], 5.0)]
    request = request_params(TasteProfile(), rated, films[1:], model="claude-haiku-5-5", seed=1)
    body = realistic_verdicts(request).body
    matches = body["content"][0]["input"]["matches"]
    assert sorted(m["movie_id"] for m in matches) == sorted(f.id for f in films[1:])
    shown = [m for m in matches if m["confidence"] >= REASON_FROM]
    assert shown and len(shown) < len(matches)  # reasons only for the films that can be shown
    assert all(films[0].title in m["reason"] and 80 <= len(m["reason"]) <= 200 for m in shown)
    assert all(m["reason"] == "" for m in matches if m["confidence"] < REASON_FROM)
    assert body["usage"]["output_tokens"] >= len(json.dumps(matches)) / 5
    assert body["usage"]["input_tokens"] >= len(json.dumps(request["system"] + request["messages"])) / 5
    seed_reply = realistic_verdicts(request, every_reason=True).body["content"][0]["input"]["matches"]
    assert all(films[0].title in m["reason"] for m in seed_reply)  # the seed asked a reason for every film


def test_the_fast_catalog_gives_the_catalog_sources_lists():
    fake = DailyTMDB()
    assert isinstance(fake.catalog, FastCatalog)
    plain = CatalogSource(fake.catalog._movies)
    films = sorted((m for m in fake.catalog._movies if m.vote_count > 50), key=lambda m: -m.popularity)[:400:20]
    for film in films:
        assert [m.id for m in fake.catalog.similar(film.id, limit=60)] == [m.id for m in plain.similar(film.id, limit=60)]
        assert ([m.id for m in fake.catalog.recommendations(film.id, limit=60)]
                == [m.id for m in plain.recommendations(film.id, limit=60)])
    for genres in (["Drama"], ["Comedy", "Romance"], []):
        assert [m.id for m in fake.catalog.discover(genres=genres, limit=60)] == [
            m.id for m in plain.discover(genres=genres, limit=60)]


def test_the_designs_scout_with_the_workers_configuration_over_the_fake(db_url, pool):
    """The cost is the app's: the worker's ranker, pre-rankers, matcher and batches, the fake TMDB as the source."""
    settings = Settings(_env_file=None, database_url=db_url, anthropic_api_key="bench",
                        anthropic_base_url="http://127.0.0.1:9")
    worker = pipeline.build_scout_context(settings, pool)
    fake = DailyTMDB()
    for design in ("cineai", "previous"):
        ctx = scout_context(design, settings, pool, fake)
        assert isinstance(ctx.ranker, CatalogRanker)
        assert type(ctx.matcher) is type(worker.matcher) and ctx.matcher.name == worker.matcher.name
        assert (ctx.local.config, ctx.catalog_local.config) == (worker.local.config, worker.catalog_local.config)
        ctx.store.trending("day", limit=5)
        assert fake.count("trending") >= 1  # films come from the fake, every request counted
    cineai, previous = (scout_context(d, settings, pool, fake) for d in ("cineai", "previous"))
    assert cineai.batches is not None and cineai.reuse_verdicts and cineai.defer_quick_calls
    assert previous.batches is None and not previous.reuse_verdicts and not previous.defer_quick_calls
    assert postgres_cpu(pool) > 0


def test_a_sampled_design_scouts_only_its_own_people(monkeypatch):
    """The previous design runs on PREVIOUS_USERS people: another person's activity in the day's plan is skipped."""
    from bench import cost

    monkeypatch.setattr(cost, "PREVIOUS_USERS", 1)
    args = argparse.Namespace(users=4, days=1, seed=1)
    plans = day_plans(args)
    assert {n for n, _, _ in plans[0]} == {0, 1}  # person 1 is outside the sample
    figures = cost.simulate("previous", args, plans)
    assert figures["people"] == 1 and figures["cpu_seconds"]["python"] > 0


def test_designs_can_be_chosen_on_the_command_line():
    from bench.cost import DESIGNS, _designs

    assert _designs("cineai") == ("cineai",) and _designs("seed, cineai,seed") == ("seed", "cineai")
    assert DESIGNS == ("cineai", "previous", "seed")
    with pytest.raises(argparse.ArgumentTypeError):
        _designs("cineai,nobody")
