"""Franchises without a collection field: one grid holds at most one film of a series, and never a later
instalment of a series the person has not started.

The catalog has no TMDB collection, so a series is recognised from the title and the people:
- the title's stem (leading article dropped, cut at a colon, a number, a roman numeral or "Part"/"Chapter");
- two films are one series when one stem starts the other's title and the stems are specific (two words or
  more, or one long word next to a sequel number), or when their first title word matches and they share a
  director or a top-billed actor ("The Matrix Reloaded" / "The Matrix Revolutions").
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence

from cine_core.domain.models import Movie
from cine_core.domain.titles import normalize_title

log = logging.getLogger(__name__)

MIN_SINGLE_WORD_STEM = 6  # "terminator" names a series; "home" or "love" does not
CAST_PEOPLE = 3
_ARTICLES = ("the", "a", "an")
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_BREAK = re.compile(r"\s[:\-–—]\s|:\s?")


def _words(title: str) -> tuple[str, ...]:
    words = tuple(normalize_title(title).split())
    return words[1:] if len(words) > 1 and words[0] in _ARTICLES else words


@functools.lru_cache(maxsize=65536)
def _title(title: str) -> tuple[tuple[str, ...], tuple[str, ...], int | None]:
    """(words, stem, instalment) of a title: computed once per title (diversify compares every pair of a
    grid, a few hundred comparisons per refresh)."""
    head = _BREAK.split(title, maxsplit=1)[0]
    number = None
    for word in _words(head)[1:]:
        if word.isdigit() and 1 < int(word) < 20:
            number = int(word)
            break
        if word in _ROMAN:
            number = _ROMAN[word]
            break
    out: list[str] = []
    for word in _words(head):
        if word.isdigit() or word in _ROMAN or word in ("part", "chapter"):
            break
        out.append(word)
    words = _words(title)
    return words, tuple(out) or words[:1], number


def instalment(movie: Movie) -> int | None:
    """The number a title carries (2 for "Terminator 2", 3 for "Part III"), None for none."""
    return _title(movie.title)[2]


def stem(movie: Movie) -> tuple[str, ...]:
    """Title words before a colon, a number, a roman numeral or "part"/"chapter"."""
    return _title(movie.title)[1]


@functools.lru_cache(maxsize=65536)
def _named(people: tuple[str, ...]) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in people if p and p.strip())


def _people(movie: Movie) -> frozenset[str]:
    return _named((*movie.directors, *movie.cast[:CAST_PEOPLE]))


def same_series(a: Movie, b: Movie) -> bool:
    """True when `a` and `b` look like films of one franchise (see the module docstring)."""
    if a.id == b.id:
        return True
    wa, sa, na = _title(a.title)
    wb, sb, nb = _title(b.title)
    if not sa or not sb:
        return False
    short, other_words = (sa, wb) if len(sa) <= len(sb) else (sb, wa)
    if other_words[:len(short)] == short:
        specific = len(short) >= 2 or (len(short[0]) >= MIN_SINGLE_WORD_STEM and (na is not None or nb is not None))
        if specific or _people(a) & _people(b):
            return True
    return sa[0] == sb[0] and len(sa[0]) >= 3 and bool(_people(a) & _people(b))


def diversify(ranked: Sequence[int], films: dict[int, Movie], seen: Iterable[Movie] = ()) -> list[int]:
    """`ranked` (best first) keeping the best film of each series and dropping a numbered later instalment
    when the person has seen no film of its series."""
    seen = list(seen)
    kept: list[Movie] = []
    out: list[int] = []
    for movie_id in ranked:
        movie = films.get(movie_id)
        if movie is None:
            out.append(movie_id)
            continue
        if any(same_series(movie, k) for k in kept):
            continue
        if (instalment(movie) or 0) >= 2 and not any(same_series(movie, s) for s in seen):
            continue
        kept.append(movie)
        out.append(movie_id)
    return out
