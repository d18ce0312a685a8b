"""The starter set a new person rates: well-known films (likely seen) spread over decades, genres, languages and
franchises, so the first five ratings say something about a taste (24 of the most-voted films were 5 Marvel
films, 3 Lord of the Rings and nothing before 1972)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cine_core.domain.models import Movie

SUPERHERO = frozenset({"superhero", "marvel cinematic universe", "marvel comic", "dc comics", "based on comic book"})
# Series whose catalog rows often lack those keywords (Avengers: Infinity War has none of them).
SUPERHERO_SERIES = frozenset({"avengers", "spider man", "iron man", "captain america", "thor", "guardians of",
                              "black panther", "x men", "deadpool", "batman", "superman", "justice league",
                              "doctor strange", "ant man", "captain marvel", "wonder woman", "venom"})
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True, slots=True)
class SpreadWeights:
    """What one more film of a kind already in the set costs, in places down the best-known list."""

    decade: float = 30.0
    main_genre: float = 20.0
    english: float = 5.0  # the most-voted list is almost all Hollywood: a few films from elsewhere get in
    superhero: float = 400.0  # one is plenty
    director: float = 400.0  # one Nolan, not three
    lead: float = 400.0  # one film per lead actor: a series under other titles (Star Wars, Return of the Jedi)
    franchise: float = 10_000.0  # never two of a series


def franchise(movie: Movie) -> str:
    """A coarse series key: the title before a colon, its first two words ('The Dark Knight Rises' and 'The
    Dark Knight' → 'dark knight'; 'Avengers: Endgame' → 'avengers'; 'Harry Potter and the …' → 'harry potter')."""
    head = _LEADING_ARTICLE.sub("", movie.title.split(":")[0].strip().lower())
    return " ".join(_WORD.findall(head)[:2])


def _kinds(movie: Movie) -> dict[str, list[str]]:
    return {
        "decade": [str(movie.decade)] if movie.decade else [],
        "main_genre": list(movie.genres[:1]),
        "english": ["en"] if (movie.original_language or "en") == "en" else [],
        "superhero": ["yes"] if SUPERHERO & set(movie.keywords) or franchise(movie) in SUPERHERO_SERIES else [],
        "director": list(movie.directors[:1]),
        "lead": list(movie.cast[:1]),
        "franchise": [franchise(movie)],
    }


def spread(films: Sequence[Movie], size: int, weights: SpreadWeights = SpreadWeights()) -> list[Movie]:
    """`size` films of `films` (best known first): each step takes the film whose place on the list plus what
    its decade, genre, language, director and series already have in the set costs least."""
    # (kind's weight, value) pairs per film, computed once: the loop below only adds counts.
    marks = [[(getattr(weights, kind), (kind, value)) for kind, values in _kinds(movie).items() for value in values]
             for movie in films]
    counts: Counter = Counter()
    left = list(range(len(films)))
    chosen: list[Movie] = []
    while left and len(chosen) < size:
        best = min(left, key=lambda i: i + sum(weight * counts[mark] for weight, mark in marks[i]))
        left.remove(best)
        chosen.append(films[best])
        counts.update(mark for _, mark in marks[best])
    return chosen
