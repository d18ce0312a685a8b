"""What a history of ratings says, in a sentence, for "what did you learn about me?" (pure).

The profile is weighted towards recent ratings (it serves the picks); a person asking what CineAI knows about
them expects their whole history too: the films they rated highest lately, the directors they rate highest
across several films, the decade most of it comes from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from cine_core.domain.models import RatedMovie

TOP_FILMS = 3
TOP_DIRECTORS = 2
MIN_DIRECTOR_FILMS = 3  # one or two films say little about a director
MIN_FOR_DECADE = 10
LIKED = 3.5  # a director "rated highest" is one rated at least this, and above the person's own average
_OLDEST = datetime.min.replace(tzinfo=UTC)


def history_text(rated: Sequence[RatedMovie]) -> str:
    """'Your highest-rated lately: Heat, Ran and Au Revoir les Enfants (5★). Directors you rate highest: …'."""
    if not rated:
        return ""
    parts = [_top_films(rated), _directors(rated), _decade(rated)]
    return " ".join(p for p in parts if p)


def _top_films(rated: Sequence[RatedMovie]) -> str:
    best = max(r.rating for r in rated)
    if best < 4:
        return ""
    top = sorted((r for r in rated if r.rating == best), key=lambda r: r.rated_at or _OLDEST, reverse=True)
    titles = [r.movie.title for r in top[:TOP_FILMS]]
    lately = " lately" if len(top) > TOP_FILMS else ""
    return f"Your highest-rated{lately}: {_and(titles)} ({best:g}★)."


def _directors(rated: Sequence[RatedMovie]) -> str:
    ratings: dict[str, list[float]] = defaultdict(list)
    for item in rated:
        for name in item.movie.directors[:1]:
            ratings[name].append(item.rating)
    overall = sum(r.rating for r in rated) / len(rated)
    kept = [(sum(v) / len(v), len(v), name) for name, v in ratings.items()
            if len(v) >= MIN_DIRECTOR_FILMS and sum(v) / len(v) >= max(LIKED, overall)]
    kept.sort(key=lambda t: (-t[0], -t[1], t[2]))
    named = [f"{name} ({count} films, {mean:.1f}★ on average)" for mean, count, name in kept[:TOP_DIRECTORS]]
    return f"Directors you rate highest: {_and(named)}." if named else ""


def _decade(rated: Sequence[RatedMovie]) -> str:
    decades = Counter(r.movie.decade for r in rated if r.movie.decade)
    total = sum(decades.values())
    if total < MIN_FOR_DECADE:
        return ""
    decade, count = decades.most_common(1)[0]
    return f"Most of what you've rated is from the {decade}s ({count / total:.0%}), across {len(decades)} decades."


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
