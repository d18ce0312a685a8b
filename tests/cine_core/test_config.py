"""Settings: missing keys mean offline defaults; secrets never appear in descriptions."""

from __future__ import annotations

import logging

from cine_core import config
from cine_core.config import Settings


def test_no_keys_means_every_offline_default(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)
    assert not settings.tmdb_online and not settings.claude_online and not settings.supabase_auth
    sources = settings.describe_sources()
    assert sources["movies"] == "offline catalog"
    assert sources["llm"] == "local engine"
    assert sources["users"] == "one local user"
    assert sources["database"].startswith("embedded Postgres")


def test_keys_switch_to_real_services_without_leaking_them(monkeypatch):
    monkeypatch.setenv("TMDB_API_KEY", "tmdb-secret-123")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-secret-456")
    settings = Settings(_env_file=None)
    assert settings.tmdb_online and settings.claude_online
    described = repr(settings) + str(settings.describe_sources())
    assert "tmdb-secret-123" not in described and "sk-test-secret-456" not in described


def test_offline_defaults_are_announced_once(monkeypatch, caplog):
    config.get_settings.cache_clear()
    caplog.set_level(logging.INFO, logger="cine_core.config")
    try:
        config.get_settings()
        config.get_settings()
    finally:
        config.get_settings.cache_clear()
    offline_lines = [r for r in caplog.records if "offline catalog" in r.getMessage()]
    assert len(offline_lines) == 1


def test_the_launchers_embedded_url_is_described_as_embedded(tmp_path):
    embedded = Settings(_env_file=None, cine_data_dir=tmp_path,
                        database_url=f"postgresql://postgres:@/cineai?host={tmp_path.resolve()}/pgdata")
    assert embedded.describe_sources()["database"].startswith("embedded Postgres")
    remote = Settings(_env_file=None, cine_data_dir=tmp_path, database_url="postgresql://u:p@db.example.com/x")
    assert remote.describe_sources()["database"] == "DATABASE_URL"


def test_building_the_offline_movie_source_again_logs_nothing_new(caplog):
    from cine_core.films.source import build_movie_source

    caplog.set_level(logging.INFO)
    settings = Settings(_env_file=None)
    for _ in range(3):  # the worker's import poll builds one every few seconds
        build_movie_source(settings)
    assert not [r for r in caplog.records if "offline catalog" in r.getMessage()]
