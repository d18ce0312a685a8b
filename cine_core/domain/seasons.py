"""The seasons the dashboard has a shelf for: when each runs and which keywords and genres carry it.

Dates are (month, day) and inclusive; a season never crosses a year end. Keywords are TMDB's, lower-case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Season:
    name: str
    title: str  # the shelf's heading
    starts: tuple[int, int]  # (month, day)
    ends: tuple[int, int]
    core_keywords: tuple[str, ...] = ()  # enough alone ("christmas")
    keywords: tuple[str, ...] = ()  # count only with one of `genres` ("ghost" in a horror film)
    genres: tuple[str, ...] = ()  # TMDB genre names as `movies.genres` spells them
    min_votes: int = 200  # a seasonal shelf is a night in: known, well-liked films
    genre_is_enough: bool = False  # summer blockbusters: the genre (and the votes) are the season

    def includes(self, day: date) -> bool:
        return self.starts <= (day.month, day.day) <= self.ends


SEASONS: tuple[Season, ...] = (
    Season("valentines", "💘 For Valentine's", (2, 1), (2, 14),
           core_keywords=("valentine's day", "romantic comedy", "love at first sight"),
           keywords=("falling in love", "romance", "first love", "love"), genres=("Romance",)),
    Season("summer", "☀️ Summer blockbusters", (6, 15), (8, 31),
           genres=("Action", "Adventure", "Science Fiction"), min_votes=3000, genre_is_enough=True),
    Season("halloween", "🎃 Halloween is coming", (10, 1), (11, 1),
           core_keywords=("halloween", "haunted house"),
           keywords=("witch", "ghost", "slasher", "supernatural", "possession", "vampire", "werewolf", "zombie",
                     "demon"), genres=("Horror",)),
    Season("christmas", "🎄 Christmas films", (12, 1), (12, 31),
           core_keywords=("christmas", "santa claus", "christmas party", "christmas eve", "christmas tree"),
           keywords=("holiday", "snow"), genres=("Family", "Comedy", "Romance", "Fantasy")),
)


def season_for(day: date) -> Season | None:
    """The season `day` falls in, if any."""
    return next((s for s in SEASONS if s.includes(day)), None)
