"""Shared words: how chat labels map onto TMDB genre names, and which genres a mood suggests."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# Chat says "sci-fi"; TMDB says "Science Fiction". Keys and values are lower-case.
GENRE_ALIASES: dict[str, str] = {
    "sci-fi": "science fiction", "scifi": "science fiction", "sci fi": "science fiction", "sf": "science fiction",
    "science-fiction": "science fiction", "rom-com": "romance", "romcom": "romance", "romantic comedy": "romance",
    "romantic": "romance", "horror movies": "horror", "scary": "horror", "documentaries": "documentary",
    "doc": "documentary", "docs": "documentary", "animated": "animation", "anime": "animation",
    "cartoon": "animation", "musical": "music", "musicals": "music", "war film": "war", "westerns": "western",
    "thrillers": "thriller", "comedies": "comedy", "funny": "comedy", "dramas": "drama", "crime drama": "crime",
    "heist": "crime", "noir": "crime", "mysteries": "mystery", "whodunit": "mystery", "kids": "family",
    "family film": "family", "superhero": "action", "action movies": "action", "adventures": "adventure",
    "biopic": "history", "historical": "history", "period piece": "history", "tv": "tv movie",
}

TMDB_GENRES = frozenset({
    "action", "adventure", "animation", "comedy", "crime", "documentary", "drama", "family", "fantasy",
    "foreign", "history", "horror", "music", "mystery", "romance", "science fiction", "tv movie", "thriller",
    "war", "western",
})

# A wanted mood is a soft vote for these genres (used by the local matcher, never stored).
MOOD_GENRES: dict[str, tuple[str, ...]] = {
    "cozy": ("comedy", "family", "romance", "animation"),
    "comforting": ("comedy", "family", "romance", "animation"),
    "feel-good": ("comedy", "family", "romance", "music"),
    "uplifting": ("comedy", "family", "music", "drama"),
    "light": ("comedy", "family", "animation"),
    "funny": ("comedy",),
    "romantic": ("romance",),
    "atmospheric": ("mystery", "drama", "fantasy"),
    "dark": ("thriller", "crime", "horror"),
    "tense": ("thriller", "mystery"),
    "scary": ("horror",),
    "thrilling": ("action", "thriller", "adventure"),
    "exciting": ("action", "adventure"),
    "epic": ("adventure", "fantasy", "history", "war"),
    "thoughtful": ("drama", "documentary", "science fiction"),
    "melancholy": ("drama",),
    "sad": ("drama",),
    "mind-bending": ("science fiction", "mystery", "thriller"),
}


def canonical_genre(label: str) -> str:
    """Lower-case TMDB genre name for a chat label ("Sci-Fi" -> "science fiction")."""
    key = label.strip().lower()
    return GENRE_ALIASES.get(key, key)
