"""Settings from the environment and `.env`, read once. Missing keys mean offline defaults."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

LOCAL_USER_ID = "00000000-0000-4000-8000-000000000001"  # the one user of personal (no-login) mode
LOCAL_USER_EMAIL = "me@cineai.local"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLAUDE_MODEL = "claude-haiku-5-5"


class Settings(BaseSettings):
    """Every knob CineAI reads. Env var names are the field names in upper case."""

    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore", case_sensitive=False)

    database_url: SecretStr | None = None  # may hold a password: printing the settings must not show it
    app_database_url: SecretStr | None = None  # the app's own login role (cine_app); docs/roles.md
    cine_data_dir: Path = PROJECT_ROOT / ".cine"

    tmdb_api_key: SecretStr | None = None
    tmdb_read_access_token: SecretStr | None = None
    tmdb_base_url: str = "https://api.themoviedb.org/3"
    tmdb_cache_ttl_days: float = 7.0
    tmdb_region: str = "US"

    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    cine_claude_model: str = DEFAULT_CLAUDE_MODEL

    supabase_url: str | None = None
    supabase_anon_key: SecretStr | None = None
    cine_operator_emails: str = ""  # comma-separated; operators see installation-wide status and spend

    cine_wikipedia: bool = True
    scout_interval_hours: float = 2.0
    cine_worker_concurrency: int = Field(4, ge=1)  # worker lanes (threads); bench.scout measured 1 vs 4
    pick_threshold: float = Field(0.7, ge=0.0, le=1.0)
    llm_top_k: int = 20
    min_picks: int = 12  # the dashboard grid shows 12; top up with marked long shots
    # Claude spend caps (issue 15): past either, the scout's local engine answers until the next UTC day.
    cine_llm_daily_budget_usd: float | None = Field(None, ge=0.0)  # whole installation, api_usage estimates
    cine_llm_user_daily_calls: int | None = Field(None, ge=0)  # scout calls to Claude per person per day
    cine_llm_batches: bool = True  # scheduled scout passes go through the Message Batches API (half price)
    log_level: str = "INFO"

    # Where to watch and the weekly discovery email (issue 17).
    cine_region: str | None = None  # default region of a person's settings; else tmdb_region
    smtp_url: SecretStr | None = None  # smtp://user:pass@host:port or smtps:// (TLS); holds a password
    cine_mail_from: str | None = None  # the digest's From address
    cine_secret_key: SecretStr | None = None  # signs unsubscribe links (HMAC); required to send digests
    cine_public_url: str = "http://localhost:8501"  # the app's address, for links in emails
    digest_weekday: int = Field(4, ge=0, le=6)  # default send day, 0 = Monday
    digest_hour: int = Field(18, ge=0, le=23)  # default send hour, UTC

    @property
    def tmdb_online(self) -> bool:
        return bool(self.tmdb_api_key or self.tmdb_read_access_token)

    @property
    def claude_online(self) -> bool:
        return bool(self.anthropic_api_key)

    @property
    def llm_batches_on(self) -> bool:
        """Scheduled Claude work goes through the Message Batches API: a key is set and CINE_LLM_BATCHES is not 0."""
        return self.claude_online and self.cine_llm_batches

    @property
    def default_region(self) -> str:
        return (self.cine_region or self.tmdb_region).upper()

    @property
    def digest_enabled(self) -> bool:
        """SMTP, a sender address and a signing secret are all set: the weekly email may be offered."""
        return bool(self.smtp_url and self.cine_mail_from and self.cine_secret_key)

    @property
    def supabase_auth(self) -> bool:
        return bool(self.supabase_url and self.supabase_anon_key)

    @property
    def operator_emails(self) -> frozenset[str]:
        """CINE_OPERATOR_EMAILS, lower-cased (in personal mode the local user is the operator anyway)."""
        return frozenset(e.strip().lower() for e in self.cine_operator_emails.split(",") if e.strip())

    def _describe_database(self) -> str:
        embedded = f"embedded Postgres in {self.cine_data_dir}"
        if not self.database_url:
            return embedded
        # `python -m cine_core run` hands its embedded server to the worker and app as DATABASE_URL.
        url = self.database_url.get_secret_value()
        return embedded if str(Path(self.cine_data_dir).resolve()) in url else "DATABASE_URL"

    def describe_sources(self) -> dict[str, str]:
        """Which real service or offline default each part uses (no secrets)."""
        return {
            "database": self._describe_database(),
            "movies": "TMDB (live)" if self.tmdb_online else "offline catalog",
            "llm": f"Claude ({self.cine_claude_model})" if self.claude_online else "local engine",
            "users": "Supabase Auth" if self.supabase_auth else "one local user",
        }


@functools.cache
def get_settings() -> Settings:
    settings = Settings()
    _announce_offline_defaults(settings)
    return settings


def _announce_offline_defaults(settings: Settings) -> None:
    if not settings.tmdb_online:
        log.info("No TMDB_API_KEY: using the bundled offline catalog")
    if not settings.claude_online:
        log.info("No ANTHROPIC_API_KEY: using the local taste engine")
    if not settings.database_url:
        log.info("No DATABASE_URL: using embedded Postgres in %s", settings.cine_data_dir)
