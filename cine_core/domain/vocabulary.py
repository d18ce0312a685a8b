"""The one vocabulary of genres and moods: chat labels onto TMDB genre names, and what each mood means."""

from __future__ import annotations

import logging
from dataclasses import dataclass

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

@dataclass(frozen=True, slots=True)
class Mood:
    """A mood: the TMDB genres and keywords that carry it, and the chat words that name it."""

    name: str
    label: str  # as a filter chip says it: "something uplifting"
    genres: tuple[str, ...]  # TMDB genre names, spelled as `movies.genres` stores them
    keywords: tuple[str, ...] = ()  # TMDB keywords, lower-case
    words: tuple[str, ...] = ()  # other chat words for it ("cosy", "lighthearted")


def _mood(name: str, genres: tuple[str, ...], keywords: tuple[str, ...] = (), words: tuple[str, ...] = ()) -> Mood:
    return Mood(name, f"something {name}", genres, keywords, words)


# The one mood vocabulary: the dashboard's chips, the chat extractor, candidate discovery and scoring.
MOODS: dict[str, Mood] = {m.name: m for m in (
    _mood("uplifting", ("Comedy", "Family", "Animation", "Music", "Romance"),
          ("friendship", "feel-good", "underdog", "hope", "coming of age")),
    _mood("dark", ("Crime", "Thriller", "Horror", "War"),
          ("murder", "revenge", "serial killer", "dystopia", "corruption", "neo-noir")),
    _mood("light", ("Comedy", "Animation", "Family", "Romance"), ("holiday", "wedding", "party"),
          ("lighthearted", "light-hearted")),
    _mood("mind-bending", ("Science Fiction", "Mystery"),
          ("time travel", "dream", "twist ending", "nonlinear timeline", "alternate reality", "parallel world",
           "memory", "simulation")),
    _mood("cozy", ("Comedy", "Family", "Romance", "Animation"), ("small town", "holiday", "christmas"), ("cosy",)),
    _mood("comforting", ("Comedy", "Family", "Romance", "Animation")),
    _mood("feel-good", ("Comedy", "Family", "Romance", "Music"), ("friendship", "feel-good"), ("feel good",)),
    _mood("heartwarming", ("Family", "Romance", "Comedy"), ("friendship", "family relationships")),
    _mood("fun", ("Comedy", "Adventure", "Animation")),
    _mood("relaxing", ("Comedy", "Family", "Animation")),
    _mood("funny", ("Comedy",)),
    _mood("romantic", ("Romance",)),
    _mood("atmospheric", ("Mystery", "Drama", "Fantasy")),
    _mood("tense", ("Thriller", "Mystery"), ("suspense",)),
    _mood("scary", ("Horror",)),
    _mood("spooky", ("Horror", "Mystery"), ("haunted house", "ghost", "halloween")),
    _mood("thrilling", ("Action", "Thriller", "Adventure")),
    _mood("exciting", ("Action", "Adventure")),
    _mood("epic", ("Adventure", "Fantasy", "History", "War")),
    _mood("thoughtful", ("Drama", "Documentary", "Science Fiction"), (), ("thought-provoking",)),
    _mood("melancholy", ("Drama",)),
    _mood("sad", ("Drama",)),
)}

DASHBOARD_MOODS = ("uplifting", "dark", "light", "mind-bending")  # the chips above the picks

# Lower-case genre names per mood: a wanted mood is a soft vote for these (local matcher, discovery).
MOOD_GENRES: dict[str, tuple[str, ...]] = {name: tuple(g.lower() for g in m.genres) for name, m in MOODS.items()}

# Every chat word that names a mood -> the mood's name.
MOOD_WORDS: dict[str, str] = {word: m.name for m in MOODS.values() for word in (m.name, *m.words)}


def canonical_genre(label: str) -> str:
    """Lower-case TMDB genre name for a chat label ("Sci-Fi" -> "science fiction")."""
    key = label.strip().lower()
    return GENRE_ALIASES.get(key, key)
