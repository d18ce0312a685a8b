"""Finding films and people named in a chat message, and resolving film titles to catalog ids.

The index is built once from the bundled catalog (13k titles, 24k names; ~0.1 s on top of loading
it). Matching is by capitalised word n-grams so that "Up", "Her" or "It" inside ordinary sentences
are not taken for films.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cine_core.domain.models import Movie
from cine_core.domain.titles import normalize_title
from cine_core.films.catalog import catalog_movies
from cine_core.memory import process_wide

log = logging.getLogger(__name__)

MAX_TITLE_WORDS = 8
_WORD = re.compile(r"[\w\d][\w\d'’\-:]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_QUOTED = re.compile(r"[\"“]([^\"”]{2,80})[\"”]")
MINOR_WORDS = frozenset({"of", "the", "a", "an", "and", "in", "on", "to", "for", "with", "at", "from", "by", "is",
                         "or", "vs", "&", "de", "la", "le", "du", "von", "van", "der", "del", "della", "da", "di",
                         "dos", "das", "des", "ten", "ter", "y"})
# Capitalised words that are almost never meant as the film of the same name.
NOT_A_TITLE = frozenset({
    "i", "ok", "tv", "us", "ai", "god", "netflix", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "halloween", "easter", "imdb", "oscar", "oscars", "hollywood",
})
# What may stand right before a numbers-only title, and what shows a number is a count, not a film.
_NUMBER_CUES = frozenset({"film", "movie", "watched", "saw", "rewatched", "loved", "love", "adored", "hated", "like",
                          "liked", "enjoyed", "seen"})
_COUNTED = frozenset({"out", "of", "films", "movies", "stars", "hours", "hour", "minutes", "mins", "min", "years",
                      "year", "times", "kids", "people", "friends", "days", "weeks", "pm", "am", "h"})
_SUBJECT_VERBS = frozenset({"was", "is", "has", "had", "blew", "felt", "looked", "looks", "made", "remains", "still"})


@dataclass(frozen=True)
class CatalogIndex:
    """Lookup tables: normalised title -> film, lower-case name -> (name, role), surname -> director."""

    titles: Mapping[str, Movie] = field(default_factory=dict)
    people: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    director_surnames: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_movies(cls, movies: Iterable[Movie]) -> CatalogIndex:
        titles: dict[str, Movie] = {}
        people: dict[str, tuple[str, str]] = {}
        director_films: dict[str, int] = {}
        for movie in movies:
            key = normalize_title(movie.title)
            best = titles.get(key)
            if key and (best is None or movie.popularity > best.popularity):
                titles[key] = movie
            for name in movie.directors:
                people[name.lower()] = (name, "director")
                director_films[name] = director_films.get(name, 0) + 1
            for name in movie.cast:
                people.setdefault(name.lower(), (name, "actor"))
        surnames: dict[str, str] = {}
        for name, count in sorted(director_films.items(), key=lambda kv: kv[1]):
            parts = name.split()
            if count >= 2 and len(parts) >= 2:
                surnames[parts[-1].lower()] = name  # most prolific wins (sorted ascending)
        return cls(titles, people, surnames)

    def film(self, title: str) -> Movie | None:
        return self.titles.get(normalize_title(title))


def catalog_index() -> CatalogIndex:
    """The index of the bundled catalog; empty (with a warning) if the catalog cannot be read. Only a built index
    is kept: after a failure the next message tries again."""
    try:
        return _built_catalog_index()
    except Exception:  # the extractor must keep working without the catalog
        log.warning("Could not index the catalog for chat; film and people names fall back to patterns", exc_info=True)
        return CatalogIndex()


@process_wide
def _built_catalog_index() -> CatalogIndex:
    return CatalogIndex.from_movies(catalog_movies())


@dataclass(frozen=True, slots=True)
class Found:
    """A name found in the text: its span, canonical form and (for films) the catalog film."""

    start: int
    end: int
    name: str
    kind: str  # 'film' | 'director' | 'actor'
    movie: Movie | None = None
    possessive: bool = False


def find_names(text: str, index: CatalogIndex) -> list[Found]:
    """Films and people named in `text`, left to right, longest match first, never overlapping."""
    words = list(_WORD.finditer(text))
    found: list[Found] = []
    taken: set[int] = set()
    for quoted in _QUOTED.finditer(text):
        movie = index.film(quoted.group(1))
        found.append(Found(quoted.start(), quoted.end(), movie.title if movie else quoted.group(1).strip(), "film", movie))
        taken.update(range(quoted.start(), quoted.end()))
    i = 0
    while i < len(words):
        if words[i].start() in taken:
            i += 1
            continue
        hit = _match_at(text, words, i, index)
        if hit is None:
            i += 1
            continue
        found.append(hit[0])
        i += hit[1]
    return sorted(found, key=lambda f: f.start)


def _match_at(text: str, words: list[re.Match], i: int, index: CatalogIndex) -> tuple[Found, int] | None:
    after_by = i > 0 and words[i - 1].group().lower() in ("by", "starring", "with")
    for n in range(min(MAX_TITLE_WORDS, len(words) - i), 0, -1):
        span = words[i:i + n]
        if not _capitalised(span):
            continue
        possessive = bool(_POSSESSIVE.search(span[-1].group()))
        inner = [w.group() for w in span[:-1]]  # "Pan's Labyrinth": a possessive inside a title is kept
        phrase = " ".join([*inner, _POSSESSIVE.sub("", span[-1].group())])
        start, end = span[0].start(), span[-1].end()
        movie = index.titles.get(normalize_title(phrase))
        if any(_POSSESSIVE.search(w) for w in inner):
            if movie is not None:
                return Found(start, end, movie.title, "film", movie, possessive), n
            continue
        person = index.people.get(phrase.lower()) if n >= 2 else None
        if person and (after_by or movie is None):
            return Found(start, end, person[0], person[1], None, possessive), n
        if movie and _plausible_title(text, words, i, n, phrase, possessive):
            return Found(start, end, movie.title, "film", movie, possessive), n
        if n == 1 and after_by and phrase.lower() in index.director_surnames:
            return Found(start, end, index.director_surnames[phrase.lower()], "director", None, possessive), 1
    return None


def _capitalised(span: list[re.Match]) -> bool:
    first, last = span[0].group(), span[-1].group()
    if not (first[0].isupper() or first[0].isdigit()) or not (last[0].isupper() or last[0].isdigit()):
        return False
    return all(w.group()[0].isupper() or w.group()[0].isdigit() or w.group().lower() in MINOR_WORDS for w in span)


def _plausible_title(text: str, words: list[re.Match], i: int, n: int, phrase: str, possessive: bool) -> bool:
    if n > 1:
        return True
    if phrase.isdigit():
        return _numbered_film(text, words, i)
    if phrase.lower() in NOT_A_TITLE or len(phrase) < 2 or (phrase.isupper() and len(phrase) <= 3):
        return False
    before = text[: words[i].start()].rstrip()
    sentence_start = not before or before[-1] in ".!?\n"
    if not sentence_start or words[i].group().endswith(":"):  # "Whiplash: 10/10"
        return True
    following = words[i + 1].group().lower() if i + 1 < len(words) else ""
    return possessive or following in _SUBJECT_VERBS


def _numbered_film(text: str, words: list[re.Match], i: int) -> bool:
    """'10', '300', '1917' are films only with evidence: 'the film 9', 'loved 1917', 'like 1917' (quotes are
    handled before), never a score, a count or a duration ('10/10', '3 films', '2 hours')."""
    previous = words[i - 1].group().lower() if i > 0 else ""
    following = words[i + 1].group().lower() if i + 1 < len(words) else ""
    rest = text[words[i].end():].lstrip()
    if rest.startswith(("/", "%", ".")) or following in _COUNTED:
        return False
    return previous in _NUMBER_CUES
