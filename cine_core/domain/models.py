"""Rows and values passed between parts of CineAI: frozen dataclasses, enums mirroring SQL CHECKs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

TMDB_IMAGE_BASE = "https://image.tmdb.org/t/p/"
MIN_RATING = 0.5
MAX_RATING = 5.0


class ConversationType(StrEnum):
    LOVED_IT = "loved_it"
    HATED_IT = "hated_it"
    WANT_MORE_LIKE_THIS = "want_more_like_this"
    MOOD_REQUEST = "mood_request"
    GENERAL_PREFERENCE = "general_preference"


class DiscoverySource(StrEnum):
    TRENDING = "trending"
    SIMILAR_TO_RATED = "similar_to_rated"
    MOOD_MATCH = "mood_match"
    POPULAR_FALLBACK = "popular_fallback"


class RatingSource(StrEnum):
    APP = "app"  # 👍 / 👎 are not ratings: they live in `film_feedback` (see Feedback)
    LETTERBOXD = "letterboxd"
    IMDB = "imdb"
    TRAKT = "trakt"


class TriggerType(StrEnum):
    NEW_RATING = "new_rating"
    CHAT = "chat"
    FEEDBACK = "feedback"
    MANUAL = "manual"
    IMPORT = "import"
    SCHEDULED = "scheduled"


class Feedback(StrEnum):
    UP = "up"
    DOWN = "down"
    NOT_INTERESTED = "not_interested"
    SEEN = "seen"  # watched, no stars: out of the picks at once, teaches nothing about taste


def is_valid_rating(value: float) -> bool:
    """Ratings are 0.5–5.0 in half steps, the same rule as the SQL CHECK."""
    return MIN_RATING <= value <= MAX_RATING and float(value * 2).is_integer()


@dataclass(frozen=True, slots=True)
class Movie:
    """A film as CineAI knows it; `id` is the TMDB id."""

    id: int
    title: str
    year: int | None = None
    release_date: date | None = None
    overview: str = ""
    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()  # top-billed, in billing order
    runtime: int | None = None  # minutes
    original_language: str | None = None
    popularity: float = 0.0
    vote_average: float | None = None
    vote_count: int = 0
    poster_path: str | None = None
    imdb_id: str | None = None
    original_title: str | None = None  # only when it differs from `title`
    certification: str | None = None  # US rating: "PG-13", "R"
    popular_rank: int | None = None  # place on the bundled catalog's mid-2025 popular list (offline trending)
    watch_providers: Mapping[str, Any] | None = None
    enrichment: Mapping[str, Any] | None = None  # e.g. {"wikipedia": {...}}
    source: str = "catalog"  # 'tmdb' | 'catalog'
    fetched_at: datetime | None = None

    def poster_url(self, size: str = "w342") -> str | None:
        return f"{TMDB_IMAGE_BASE}{size}{self.poster_path}" if self.poster_path else None

    @property
    def decade(self) -> int | None:
        return (self.year // 10) * 10 if self.year else None


@dataclass(frozen=True, slots=True)
class RatedMovie:
    """One of the user's ratings with the film it is about."""

    movie: Movie
    rating: float
    rated_at: datetime | None = None
    source: str = RatingSource.APP


@dataclass(frozen=True, slots=True)
class TasteProfile:
    """What CineAI believes about one person; stored as `taste_profile.preferences` (see taste.py).

    Affinity maps are keyed by lower-case names and valued in [-1, 1] (positive = likes).
    `removed` holds keys the user deleted ("genre:horror", "person:christopher nolan"); they are
    ignored everywhere, including matching.
    """

    user_id: str | None = None
    version: int = 0
    genres: Mapping[str, float] = field(default_factory=dict)
    keywords: Mapping[str, float] = field(default_factory=dict)
    people: Mapping[str, float] = field(default_factory=dict)
    decades: Mapping[int, float] = field(default_factory=dict)
    visual_style: Mapping[str, float] = field(default_factory=dict)
    themes: Mapping[str, float] = field(default_factory=dict)
    moods: Mapping[str, float] = field(default_factory=dict)
    pacing: str | None = None  # 'faster' | 'slower' | None
    mood_context: tuple[str, ...] = ()
    recent_learning: tuple[str, ...] = ()
    removed: frozenset[str] = frozenset()
    rating_count: int = 0
    mean_rating: float | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A matcher's verdict on one candidate film for one person."""

    movie_id: int
    confidence: float  # 0..1
    reason: str  # one sentence citing the user's films or stated preferences
    score: float | None = None  # raw, matcher-specific


@dataclass(frozen=True, slots=True)
class Candidate:
    """A film the scout found, and where it found it."""

    movie: Movie
    discovery_source: DiscoverySource


@dataclass(frozen=True, slots=True)
class Pick:
    """A stored recommendation joined with its film, as the dashboard shows it."""

    movie: Movie
    confidence: float
    reason: str
    discovery_source: str
    generated_at: datetime
    score: float | None = None
    feedback: str | None = None
    below_threshold: bool = False
    matcher: str | None = None
