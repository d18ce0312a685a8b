"""The interfaces that let real services and offline defaults stand in for each other."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import Match, Movie, RatedMovie, TasteProfile


class MovieSource(Protocol):
    """Where film data comes from: the TMDB client (online) or the bundled catalog (offline).

    List methods may return partially filled films (no credits/keywords); `details` returns a full one.
    Errors are cine_core.domain.errors.TMDBError subclasses.
    """

    name: str  # 'tmdb' | 'catalog'

    def trending(self, window: str = "day", *, limit: int = 40, today: date | None = None) -> list[Movie]: ...
    def details(self, movie_id: int) -> Movie: ...
    def recommendations(self, movie_id: int, *, limit: int = 20) -> list[Movie]: ...
    def similar(self, movie_id: int, *, limit: int = 20) -> list[Movie]: ...
    def search(self, title: str, year: int | None = None, *, limit: int = 10) -> list[Movie]: ...
    def discover(
        self,
        *,
        genres: Sequence[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
        runtime_max: int | None = None,
        limit: int = 20,
    ) -> list[Movie]: ...
    def find_imdb(self, imdb_id: str) -> Movie | None: ...


class Matcher(Protocol):
    """Scores candidate films for one person. Every candidate it can judge gets one Match with a
    confidence in [0, 1] and a one-sentence reason; ids not among the candidates never appear."""

    name: str  # 'local' | 'claude'

    def match(
        self, *, profile: TasteProfile, rated: Sequence[RatedMovie], candidates: Sequence[Movie]
    ) -> list[Match]: ...


class InsightExtractor(Protocol):
    """Turns one chat message into validated ChatInsights."""

    name: str

    def extract(self, message: str, *, profile: TasteProfile | None = None, movie: Movie | None = None) -> ChatInsights: ...
