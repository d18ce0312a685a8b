"""Franchises without a collection field: one grid holds at most one film of a series, and never a later
instalment of a series the person has not started.

The catalog has no TMDB collection, so a series is recognised from the title and the people:
- the title's stem (leading article dropped, cut at a colon, a number, a roman numeral or "Part"/"Chapter");
- two films are one series when one stem starts the other's title and the stems are specific (two words or
  more, or one long word next to a sequel number), or when their first title word matches and they share a
  director or a top-billed actor ("The Matrix Reloaded" / "The Matrix Revolutions").
"""

from __future__ import annotations

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


def _words(title: str) -> list[str]:
    words = normalize_title(title).split()
    return words[1:] if len(words) > 1 and words[0] in _ARTICLES else words


def instalment(movie: Movie) -> int | None:
    """The number a title carries (2 for "Terminator 2", 3 for "Part III"), None for none."""
    head = _BREAK.split(movie.title, maxsplit=1)[0]
    for word in _words(head)[1:]:
        if word.isdigit() and 1 < int(word) < 20:
            return int(word)
        if word in _ROMAN:
            return _ROMAN[word]
    return None


def stem(movie: Movie) -> tuple[str, ...]:
    """Title words before a colon, a number, a roman numeral or "part"/"chapter"."""
    head = _BREAK.split(movie.title, maxsplit=1)[0]
    out: list[str] = []
    for word in _words(head):
        if word.isdigit() or word in _ROMAN or word in ("part", "chapter"):
            break
        out.append(word)
    return tuple(out) or tuple(_words(movie.title)[:1])


def _people(movie: Movie) -> set[str]:
    return {p.strip().lower() for p in (*movie.directors, *movie.cast[:CAST_PEOPLE]) if p and p.strip()}


def same_series(a: Movie, b: Movie) -> bool:
    """True when `a` and `b` look like films of one franchise (see the module docstring)."""
    if a.id == b.id:
        return True
    sa, sb = stem(a), stem(b)
    wa, wb = tuple(_words(a.title)), tuple(_words(b.title))
    if not sa or not sb:
        return False
    short, other_words = (sa, wb) if len(sa) <= len(sb) else (sb, wa)
    if other_words[:len(short)] == short:
        specific = len(short) >= 2 or (len(short[0]) >= MIN_SINGLE_WORD_STEM
                                       and (instalment(a) is not None or instalment(b) is not None))
        if specific or _people(a) & _people(b):
            return True
    return sa[0] == sb[0] and bool(_people(a) & _people(b)) and len(sa[0]) >= 3


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
