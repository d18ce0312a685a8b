"""The dashboard's "What I've learned about your taste": a TasteProfile in human words, item by item
removable (each item carries the key that `taste.remove_preference` takes)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from cine_core.domain.models import TasteProfile
from cine_core.domain.people import is_name_suffix

log = logging.getLogger(__name__)

MAX_GENRES = 5
MAX_PEOPLE = 6
MAX_THEMES = 8
MIN_AFFINITY = 0.05  # below this a rating-derived share is noise, not taste


@dataclass(frozen=True, slots=True)
class SummaryItem:
    key: str  # e.g. "genre:science fiction"; pass to remove_preference
    label: str  # e.g. "Science Fiction"
    strength: float = 0.0  # affinity in [-1, 1]


@dataclass(frozen=True, slots=True)
class TasteSummary:
    favourite_genres: tuple[SummaryItem, ...] = ()
    disliked_genres: tuple[SummaryItem, ...] = ()
    visual_style: tuple[SummaryItem, ...] = ()
    pacing: SummaryItem | None = None
    people: tuple[SummaryItem, ...] = ()
    themes: tuple[SummaryItem, ...] = ()  # themes and moods
    eras: tuple[SummaryItem, ...] = ()
    mood_contexts: tuple[SummaryItem, ...] = ()
    recent_learning: tuple[SummaryItem, ...] = ()
    rating_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.favourite_genres or self.disliked_genres or self.visual_style or self.pacing
                    or self.people or self.themes or self.recent_learning)


def _title(name: str, names: Mapping[str, str] | None = None) -> str:
    """The name as the catalog spells it ("Leonardo DiCaprio") when known, else capitalised word by word
    and after hyphens ("Joseph Gordon-Levitt"), never lower-casing what is already capitalised."""
    if names and name.lower() in names:
        return names[name.lower()]
    return " ".join("-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in name.split(" "))


def _ranked(values: Mapping, *, positive: bool, limit: int) -> list[tuple]:
    picked = [(k, v) for k, v in values.items() if (v >= MIN_AFFINITY if positive else v <= -MIN_AFFINITY)]
    return sorted(picked, key=lambda kv: -abs(kv[1]))[:limit]


def label_for(key: str, profile: TasteProfile, names: Mapping[str, str] | None = None) -> str:
    """Human label of a removable key, phrased by the sign of what was learned."""
    kind, _, name = key.partition(":")
    if kind == "pacing":
        return f"Prefers {profile.pacing or 'different'} pacing"
    value = {
        "genre": profile.genres, "person": profile.people, "style": profile.visual_style,
        "theme": profile.themes, "mood": profile.moods, "keyword": profile.keywords,
    }.get(kind, {}).get(name, 0.0)
    if kind == "decade":
        return f"Films from the {name}s"
    if kind == "mood_context":
        return f"Watching for: {name}"
    if kind == "style":
        return f"{'Loves' if value >= 0 else 'Dislikes'} {name} visuals"
    if kind == "mood":
        return f"In the mood for {name}"
    subject = _title(name, names)
    return subject if value >= 0 else f"Not a fan of {subject}"


def summarize(profile: TasteProfile, names: Mapping[str, str] | None = None) -> TasteSummary:
    """What the dashboard lists; never shows removed keys (build_profile already dropped them). `names` maps
    lower-case person keys to the catalog's spelling."""

    def items(prefix: str, values: Mapping, *, positive: bool = True, limit: int = 10) -> tuple[SummaryItem, ...]:
        return tuple(
            SummaryItem(f"{prefix}:{k}", label_for(f"{prefix}:{k}", profile, names), float(v))
            for k, v in _ranked(values, positive=positive, limit=limit)
            if f"{prefix}:{k}" not in profile.removed and not (prefix == "person" and is_name_suffix(k))
        )

    people = items("person", profile.people, limit=MAX_PEOPLE) + items("person", profile.people, positive=False)
    themes = items("theme", profile.themes, limit=MAX_THEMES) + items("theme", profile.themes, positive=False)
    themes += items("mood", profile.moods, limit=MAX_THEMES)
    styles = tuple(
        SummaryItem(f"style:{k}", label_for(f"style:{k}", profile), float(v))
        for k, v in sorted(profile.visual_style.items(), key=lambda kv: -abs(kv[1]))
    )
    pacing = SummaryItem("pacing", label_for("pacing", profile)) if profile.pacing else None
    eras = tuple(
        SummaryItem(f"decade:{k}", label_for(f"decade:{k}", profile), float(v))
        for k, v in _ranked(profile.decades, positive=True, limit=3)
    )
    return TasteSummary(
        favourite_genres=items("genre", profile.genres, limit=MAX_GENRES),
        disliked_genres=items("genre", profile.genres, positive=False, limit=MAX_GENRES),
        visual_style=styles,
        pacing=pacing,
        people=people,
        themes=themes,
        eras=eras,
        mood_contexts=tuple(SummaryItem(f"mood_context:{c}", label_for(f"mood_context:{c}", profile))
                            for c in profile.mood_context),
        recent_learning=_distinct(SummaryItem(k, label_for(k, profile, names)) for k in profile.recent_learning),
        rating_count=profile.rating_count,
    )


def _distinct(items) -> tuple[SummaryItem, ...]:
    """One line per label: "sci-fi" and "science fiction" learned apart still read as one thing."""
    seen: dict[str, SummaryItem] = {}
    for item in items:
        seen.setdefault(item.label.lower(), item)
    return tuple(seen.values())
