"""Learned labels come from an allow-list, never from free text: the vocabulary, catalog genres and
keywords, known styles, catalog people and titles. Whatever a model (or a crafted message) produced, only
labels found here are stored, and the summary line is rewritten from what survived. Pure.
"""

from __future__ import annotations

import logging

from cine_core.chat import _lexicon as lex
from cine_core.chat._local_extractor import summarize
from cine_core.chat._mentions import CatalogIndex
from cine_core.domain.insights import ChatInsights
from cine_core.domain.titles import normalize_title
from cine_core.domain.vocabulary import MOODS, TMDB_GENRES, genres_for
from cine_core.films.catalog import catalog_movies
from cine_core.memory import process_wide

log = logging.getLogger(__name__)

SITUATION_LABELS = frozenset(label for _, label, _ in lex.SITUATIONS)
STYLES = frozenset({*lex.STYLE_WORDS.values(), *(style for _, style in lex.GENRE_STYLE), "striking"})
ASPECTS = frozenset(lex.ASPECTS.values())


def catalog_keywords() -> frozenset[str]:
    """Every keyword of the bundled catalog (lower-case); empty if the catalog cannot be read (not kept: the next
    message tries again)."""
    try:
        return _built_catalog_keywords()
    except Exception:  # the allow-list then holds the lexicon's themes only
        log.warning("catalog keywords unavailable for the chat allow-list", exc_info=True)
        return frozenset()


@process_wide
def _built_catalog_keywords() -> frozenset[str]:
    return frozenset(k.lower() for m in catalog_movies() for k in m.keywords)


def themes() -> frozenset[str]:
    return frozenset(lex.THEMES.values()) | catalog_keywords()


def allowed(insights: ChatInsights, index: CatalogIndex, said: str) -> ChatInsights:
    """Only allow-listed labels; films and people only if the catalog knows them AND the message `said` names
    them (a model cannot add a film the person never mentioned); summary rebuilt."""
    named = f" {normalize_title(said)} "
    known_themes = themes()
    genres_liked = _unique(g for label in insights.genres_liked for g in genres_for(label) if g in TMDB_GENRES)
    genres_disliked = [g for g in _unique(g for label in insights.genres_disliked for g in genres_for(label))
                       if g in TMDB_GENRES and g not in genres_liked]
    people = []
    for person in insights.people:
        known = index.people.get(person.name.strip().lower())
        if known and f" {normalize_title(known[0])} " in named:
            people.append(person.model_copy(update={"name": known[0]}))
    films = []
    for film in insights.films:
        movie = index.film(film.title)
        if movie is not None and f" {normalize_title(movie.title)} " in named:
            aspects = [a for a in film.aspects if a in ASPECTS]
            films.append(film.model_copy(update={"title": movie.title, "aspects": aspects}))
    fields = dict(
        genres_liked=genres_liked, genres_disliked=genres_disliked,
        visual_style=[s for s in insights.visual_style if s.style in STYLES],
        pacing=insights.pacing,
        themes_liked=[t for t in insights.themes_liked if t in known_themes],
        themes_disliked=[t for t in insights.themes_disliked if t in known_themes],
        mood=[m for m in insights.mood if m in MOODS],
        mood_context=insights.mood_context if insights.mood_context in SITUATION_LABELS else None,
        people=people, films=films,
    )
    return ChatInsights(conversation_type=insights.conversation_type, significance=insights.significance,
                        summary=summarize(fields), **fields)


def session_only(insights: ChatInsights) -> ChatInsights:
    """A request's moods and situation without a place in the profile: "something uplifting for tonight" is
    tonight's (the request keeps it for follow-ups); genres, people and films it states are still learned."""
    if not (insights.mood or insights.mood_context):
        return insights
    fields = insights.model_dump(exclude={"conversation_type", "significance", "summary", "reply"})
    fields.update(mood=[], mood_context=None)
    kept = ChatInsights(conversation_type=insights.conversation_type, significance=insights.significance, **fields)
    return kept.model_copy(update={"summary": summarize(dict(kept)), "reply": insights.reply})


def nothing_learned(insights: ChatInsights | None = None) -> ChatInsights:
    """An insight that teaches nothing (hostile text, a pending question, an undone message)."""
    return ChatInsights(conversation_type="general_preference", significance=0.0)


def _unique(values) -> list[str]:
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out
