"""A bounded number of film lookups per import: one search per distinct title and year, at most `budget`
calls in all; past the budget a row is left unmatched (and listed as such in the report).

Without it each unmatched row cost up to 4 TMDB calls (title and original title, with and without the
year), so one 200,000-row file meant ~800,000 calls made on everyone's API key and worker time.
"""

from __future__ import annotations

import logging

from cine_core.domain.errors import TMDBNotFound
from cine_core.domain.models import Movie
from cine_core.domain.protocols import MovieSource
from cine_core.domain.titles import title_key

log = logging.getLogger(__name__)

MAX_LOOKUPS_PER_IMPORT = 6_000  # a 5,000-film Letterboxd history (titles only) still matches in full


class LookupBudget:
    """The import's view of a MovieSource: details / find_imdb / search, remembered and counted."""

    def __init__(self, source: MovieSource, budget: int = MAX_LOOKUPS_PER_IMPORT) -> None:
        self._source = source
        self.budget = budget
        self.calls = 0
        self.refused = 0  # lookups not made because the budget was spent
        self._searches: dict[tuple[str, int | None], list[Movie]] = {}

    @property
    def spent(self) -> bool:
        return self.calls >= self.budget

    def _take(self) -> bool:
        if self.calls >= self.budget:
            if not self.refused:
                log.warning("Import lookup budget of %d calls spent; the remaining titles are reported unmatched",
                            self.budget)
            self.refused += 1
            return False
        self.calls += 1
        return True

    def details(self, movie_id: int) -> Movie:
        if not self._take():
            raise TMDBNotFound(f"film {movie_id} not looked up: the import's lookup budget is spent")
        return self._source.details(movie_id)

    def find_imdb(self, imdb_id: str) -> Movie | None:
        return self._source.find_imdb(imdb_id) if self._take() else None

    def search(self, title: str, year: int | None = None, *, limit: int = 10) -> list[Movie]:
        key = (title_key(title), year)
        if key not in self._searches:
            if not self._take():
                return []
            self._searches[key] = self._source.search(title, year, limit=limit)
        return self._searches[key]

    def __getattr__(self, name: str):  # the rest of MovieSource (never used by an import) passes through
        return getattr(self._source, name)
