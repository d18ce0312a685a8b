"""One root error; each subsystem translates its driver errors into these at its boundary."""

from __future__ import annotations


class CineError(Exception):
    """Something went wrong in CineAI."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class ConfigError(CineError):
    """CineAI is not configured correctly."""


class DatabaseError(CineError):
    """The database could not be reached or refused the request."""


class DatabaseUnavailable(DatabaseError):
    """The database is unreachable: check DATABASE_URL."""


class DataError(CineError):
    """The data was rejected because it is invalid."""


class ImportFileError(DataError):
    """The import file could not be read."""


class TMDBError(CineError):
    """TMDB request failed."""


class TMDBAuthError(TMDBError):
    """TMDB rejected the API key (401): check TMDB_API_KEY or TMDB_READ_ACCESS_TOKEN."""


class TMDBNotFound(TMDBError):
    """TMDB has no such resource (404)."""


class TMDBRateLimited(TMDBError):
    """TMDB rate limit hit (429) and retries were exhausted."""


class TMDBUnavailable(TMDBError):
    """TMDB is unavailable (5xx, timeout or connection error) after retries."""


class LLMError(CineError):
    """The language model call failed."""


class LLMAuthError(LLMError):
    """The Anthropic API rejected the key (401/403): check ANTHROPIC_API_KEY."""


class LLMRateLimited(LLMError):
    """The Anthropic API rate limit was hit (429) and retries were exhausted."""


class LLMUnavailable(LLMError):
    """The Anthropic API is unavailable (5xx, 529 overloaded, timeout or connection error) after retries."""


class LLMOutputInvalid(LLMError):
    """The language model returned output that does not match the schema."""

