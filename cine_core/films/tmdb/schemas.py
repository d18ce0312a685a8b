"""pydantic models of TMDB v3 JSON (the edge); field names as in ../shared/data/tmdb_api_fixtures/FIELDS.md."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _TMDBModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def _date_or_none(value: Any) -> Any:
    return value or None  # TMDB sends "" for unknown dates


POSTER_PATH = re.compile(r"^/[A-Za-z0-9_-]+\.(jpg|jpeg|png|webp)$")  # TMDB's image path shape


def valid_poster_path(value: Any) -> str | None:
    """The path if it has TMDB's shape ('/abc123.jpg'), else None: it ends up inside HTML and CSS."""
    return value if isinstance(value, str) and POSTER_PATH.fullmatch(value) else None


class Genre(_TMDBModel):
    id: int
    """TMDB genre id, as in list items' `genre_ids`."""
    name: str
    """English genre name, e.g. 'Science Fiction'."""


class GenreList(_TMDBModel):
    genres: list[Genre] = []
    """Every movie genre (`/genre/movie/list`)."""


class ListItem(_TMDBModel):
    """One film (or, on mixed endpoints, a tv show / person) in a paged list."""

    id: int
    """TMDB id."""
    media_type: str | None = None
    """'movie' | 'tv' | 'person' on /trending and recommendations; absent elsewhere."""
    title: str | None = None
    """Display title (movies only; tv items use `name`)."""
    original_title: str | None = None
    """Title in the original language."""
    release_date: date | None = None
    """First release date; '' becomes None."""
    overview: str = ""
    """Plot summary."""
    genre_ids: list[int] = []
    """Genre ids; names come from /genre/movie/list."""
    popularity: float = 0.0
    """TMDB's popularity score (unbounded, recent activity)."""
    vote_average: float | None = None
    """Mean user vote 0–10."""
    vote_count: int = 0
    """Number of votes."""
    poster_path: str | None = None
    """Relative image path, e.g. '/abc.jpg'."""
    original_language: str | None = None
    """ISO 639-1 code."""

    _blank_date = field_validator("release_date", mode="before")(_date_or_none)
    _poster = field_validator("poster_path", mode="before")(valid_poster_path)


class Page(_TMDBModel):
    page: int = 1
    """1-based page number."""
    results: list[ListItem] = []
    """Items on this page."""
    total_pages: int = 1
    """Pages available."""
    total_results: int = 0
    """Items available."""


class CastMember(_TMDBModel):
    name: str
    """Actor's name."""
    order: int = 999
    """Billing order, 0 first."""


class CrewMember(_TMDBModel):
    name: str
    """Person's name."""
    job: str = ""
    """e.g. 'Director', 'Screenplay'."""


class Credits(_TMDBModel):
    cast: list[CastMember] = []
    """Cast in any order (sort by `order`)."""
    crew: list[CrewMember] = []
    """Crew; directors are the items with job 'Director'."""


class Keywords(_TMDBModel):
    keywords: list[Genre] = []
    """{id, name} keywords of a movie."""


class WatchProviders(_TMDBModel):
    results: dict[str, dict[str, Any]] = {}
    """Per ISO-3166-1 country: {link, flatrate[], rent[], buy[], ads[], free[]}."""


class MovieDetails(_TMDBModel):
    """`/movie/{id}` with append_to_response=credits,keywords,watch/providers,release_dates."""

    id: int
    """TMDB id."""
    title: str
    """Display title."""
    original_title: str | None = None
    """Title in the original language ('Låt den rätte komma in')."""
    release_date: date | None = None
    """First release date; '' becomes None."""
    overview: str | None = ""
    """Plot summary."""
    genres: list[Genre] = []
    """Genre objects."""
    runtime: int | None = None
    """Minutes; 0 or null when unknown."""
    original_language: str | None = None
    """ISO 639-1 code."""
    popularity: float = 0.0
    """TMDB's popularity score."""
    vote_average: float | None = None
    """Mean user vote 0–10."""
    vote_count: int = 0
    """Number of votes."""
    poster_path: str | None = None
    """Relative image path."""
    imdb_id: str | None = None
    """'tt…' id."""
    credits: Credits | None = None
    """Appended credits."""
    keywords: Keywords | None = None
    """Appended keywords."""
    watch_providers: WatchProviders | None = Field(None, alias="watch/providers")
    """Appended watch providers (the key is literally 'watch/providers')."""
    release_dates: dict[str, Any] | None = None
    """Appended per-country release dates and certifications."""

    _blank_date = field_validator("release_date", mode="before")(_date_or_none)
    _poster = field_validator("poster_path", mode="before")(valid_poster_path)


class FindResult(_TMDBModel):
    movie_results: list[ListItem] = []
    """Films matching the external id."""


class ErrorBody(_TMDBModel):
    status_code: int | None = None
    """TMDB's own code: 7 invalid key, 34 not found, 25 rate limit."""
    status_message: str = ""
    """Human-readable message."""
