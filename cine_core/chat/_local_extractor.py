"""The local insight extractor: lexicon and patterns, no network. Produces validated ChatInsights.

The message is cut into clauses ("I loved Dune's visuals" | "it was too slow"); each clause gets a
polarity from sentiment words (with negation), and what it names (films, people, genres, themes,
visual styles) inherits that polarity.
"""

from __future__ import annotations

import logging
import re

from cine_core.chat import _lexicon as lex
from cine_core.chat._clauses import ASKING, Clause, clause_at, clauses_of
from cine_core.chat._mentions import CatalogIndex, Found, catalog_index, find_names
from cine_core.domain.insights import ChatInsights, FilmMention, PersonPreference, StylePreference
from cine_core.domain.models import ConversationType, Movie, TasteProfile
from cine_core.domain.vocabulary import MOOD_WORDS

log = logging.getLogger(__name__)

_ABBREVIATED_AI = re.compile(r"\bA\.I\.?(?!\s*Artificial)(?=\W|$)", re.IGNORECASE)
_FILM_SENTIMENT = {2: "loved", 1: "liked", 0: "neutral", -1: "disliked", -2: "hated"}


class LocalExtractor:
    """Implements InsightExtractor with word lists and the catalog's titles and names."""

    name = "local"

    def __init__(self, index: CatalogIndex | None = None) -> None:
        self._index = index

    @property
    def index(self) -> CatalogIndex:
        """The index given, else the catalog's (built once per process; never kept here, so the empty fallback
        of one failed read is not kept either)."""
        return self._index if self._index is not None else catalog_index()

    def extract(self, message: str, *, profile: TasteProfile | None = None, movie: Movie | None = None) -> ChatInsights:
        text = _ABBREVIATED_AI.sub("AI", " ".join(message.split()))  # "A.I." is not two sentences
        lower = text.lower()
        clauses = clauses_of(lower)
        names = find_names(text, self.index)
        request = bool(lex.MOOD_REQUEST.search(lower) or lex.ASK.search(lower) or lex.RUNTIME_LIMIT.search(lower))
        more_like = bool(lex.MORE_LIKE.search(lower))

        films = _films(names, clauses, lower, movie)
        people = _people(names, clauses, lower)
        blocked = [(n.start, n.end) for n in names]
        genres_liked, genres_disliked = _labelled(lex.GENRE_RE, clauses, blocked, request or more_like,
                                                  lambda m: lex.GENRE_WORDS[m])
        themes_liked, themes_disliked = _labelled(lex.THEME_RE, clauses, blocked, request or more_like,
                                                  lambda m: (lex.THEMES[m],))
        context, moods = _mood(lower, clauses, request, blocked)
        styles = _styles(clauses, names, movie)
        pacing = _pacing(clauses)

        insights = dict(
            genres_liked=genres_liked[:10], genres_disliked=genres_disliked[:10], visual_style=styles[:8],
            pacing=pacing, themes_liked=themes_liked[:10], themes_disliked=themes_disliked[:10], mood=moods[:6],
            mood_context=context, people=people[:10], films=films[:10],
        )
        kind = _conversation_type(films, context, request, more_like, clauses)
        significance = _significance(insights, kind, lower)
        return ChatInsights(conversation_type=kind, significance=significance, summary=summarize(insights), **insights)


def _films(names: list[Found], clauses: list[Clause], lower: str, movie: Movie | None) -> list[FilmMention]:
    films: dict[str, FilmMention] = {}
    for found in (n for n in names if n.kind == "film"):
        clause = clause_at(clauses, found.start)
        aspects = sorted({lex.ASPECTS[a.group()] for a in lex.ASPECT_RE.finditer(clause.text)})[:6]
        polarity = clause.polarity or _verdict_after(clause, clauses, names)
        mention = FilmMention(title=found.name[:80], sentiment=_FILM_SENTIMENT[polarity], aspects=aspects,
                              movie_id=found.movie.id if found.movie else None)
        films.setdefault(found.name.lower(), mention)
    if movie is not None and not films:
        polarity = max((c.polarity for c in clauses), key=abs, default=0)
        if polarity:
            aspects = sorted({lex.ASPECTS[a.group()] for a in lex.ASPECT_RE.finditer(lower)})[:6]
            films[movie.title.lower()] = FilmMention(title=movie.title[:80], sentiment=_FILM_SENTIMENT[polarity],
                                                     aspects=aspects, movie_id=movie.id)
    return list(films.values())


def _verdict_after(clause: Clause, clauses: list[Clause], names: list[Found]) -> int:
    """'Pulp Fiction? meh.', 'Zodiac: slow but brilliant': the next clause's verdict, when it names nothing."""
    if ASKING.search(clause.text):  # a real question ("is Amélie good?"), not "Pulp Fiction?"
        return 0
    nxt = next((c for c in clauses if c.start > clause.start), None)
    if nxt is None or nxt.question or any(nxt.start <= n.start < nxt.end for n in names):
        return 0
    return nxt.polarity


def _people(names: list[Found], clauses: list[Clause], lower: str) -> list[PersonPreference]:
    people: dict[str, PersonPreference] = {}
    for found in (n for n in names if n.kind in ("director", "actor")):
        clause = clause_at(clauses, found.start)
        by_pattern = re.search(r"\b(?:anything|everything|something|films?|movies?|more) (?:by|with|from|starring)\s*$",
                               lower[: found.start])
        if clause.polarity == 0 and not by_pattern:
            continue
        sentiment = "dislike" if clause.polarity < 0 else "like"
        people.setdefault(found.name.lower(), PersonPreference(name=found.name[:80], role=found.kind, sentiment=sentiment))
    return list(people.values())


def _labelled(pattern, clauses, blocked, wanted_by_default: bool, labels) -> tuple[list[str], list[str]]:
    liked: list[str] = []
    disliked: list[str] = []
    for clause in clauses:
        for m in pattern.finditer(clause.text):
            pos = clause.start + m.start()
            if any(s <= pos < e for s, e in blocked):
                continue
            polarity = clause.polarity or (1 if wanted_by_default else 0)
            target = liked if polarity > 0 else disliked if polarity < 0 else None
            if target is not None:
                target.extend(label for label in labels(m.group()) if label not in target)
    return liked, [d for d in disliked if d not in liked]


def _mood(lower: str, clauses: list[Clause], request: bool, blocked) -> tuple[str | None, list[str]]:
    context, moods = None, []
    for pattern, label, implied in lex.SITUATION_RES:
        if pattern.search(lower):
            context = context or label
            moods.extend(m for m in implied if m not in moods)
    for clause in clauses:
        named = any(clause.start <= s < clause.end for s, _ in blocked)
        wished = request or context or (clause.polarity > 0 and not named) or (clause.question and not named)
        if clause.polarity < 0 or not wished:  # "Prisoners: loved every tense minute" describes the film
            continue
        for m in lex.MOOD_RE.finditer(clause.text):
            if any(s <= clause.start + m.start() < e for s, e in blocked):
                continue
            mood = MOOD_WORDS[m.group()]
            if mood not in moods:
                moods.append(mood)
    return context, moods


def _styles(clauses: list[Clause], names: list[Found], movie: Movie | None) -> list[StylePreference]:
    styles: dict[str, StylePreference] = {}
    for clause in clauses:
        if clause.polarity == 0 or not lex.VISUAL_RE.search(clause.text):
            continue
        sentiment = "positive" if clause.polarity > 0 else "negative"
        named = [lex.STYLE_WORDS[m.group()] for m in lex.STYLE_RE.finditer(clause.text)]
        if not named:
            film = next((n.movie for n in names if n.movie and clause.start <= n.start <= clause.end), movie)
            named = [_style_from_genres(film)]
        for style in named:
            styles.setdefault(style, StylePreference(style=style, sentiment=sentiment))
    return list(styles.values())


def _style_from_genres(film: Movie | None) -> str:
    genres = {g.lower() for g in (film.genres if film else ())}
    for wanted, style in lex.GENRE_STYLE:
        if genres & set(wanted):
            return style
    return "striking"


def _pacing(clauses: list[Clause]) -> str | None:
    for clause in clauses:
        wish = lex.PACE_WISH.search(clause.text)
        if wish:
            wants = "faster" if "fast" in wish.group(1) else "slower"
            negated = re.search(r"(?:\bnot|n't|\bdont|\bdidnt|\bnever)\s+(?:\w+\s+)?$", clause.text[: wish.start()])
            return ("slower" if wants == "faster" else "faster") if negated else wants
    for clause in clauses:
        complaint = lex.TOO_SLOW_RE.search(clause.text)
        if complaint and not lex.NOT_A_COMPLAINT.search(clause.text[: complaint.start()]):
            return "faster"
        if lex.TOO_FAST_RE.search(clause.text):
            return "slower"
        if lex.WANTS_FASTER_RE.search(clause.text):
            return "slower" if clause.polarity < 0 else "faster"
        if lex.WANTS_SLOWER_RE.search(clause.text):
            return "faster" if clause.polarity < 0 else "slower"
    return None


def _conversation_type(films, context, request, more_like, clauses) -> ConversationType:
    if more_like:
        return ConversationType.WANT_MORE_LIKE_THIS
    if context or request:
        return ConversationType.MOOD_REQUEST
    rated = [f for f in films if f.sentiment != "neutral"]
    if rated:
        loved = any(f.sentiment in ("loved", "liked") for f in rated)
        return ConversationType.LOVED_IT if loved else ConversationType.HATED_IT
    return ConversationType.GENERAL_PREFERENCE


def _significance(insights: dict, kind: ConversationType, lower: str) -> float:
    """How much this should move recommendations: lasting, strong statements score high, moods low."""
    kinds = sum(bool(insights[k]) for k in ("genres_liked", "genres_disliked", "people", "pacing", "visual_style",
                                            "themes_liked", "themes_disliked"))
    strong_film = any(f.sentiment in ("loved", "hated") for f in insights["films"])
    mild_film = any(f.sentiment in ("liked", "disliked") for f in insights["films"])
    score = 0.15 + 0.3 * strong_film + 0.2 * (mild_film and not strong_film) + min(0.6, 0.2 * kinds)
    if insights["mood"] or insights["mood_context"]:
        score += 0.15
    if kind is ConversationType.WANT_MORE_LIKE_THIS:
        score += 0.1
    learned = kinds or strong_film or mild_film
    if learned and any(re.search(rf"\b{re.escape(cue)}\b", lower) for cue in lex.STRONG_CUES):
        score += 0.1
    if not learned and not insights["mood"]:
        score = 0.05
    return round(min(1.0, score), 2)


LISTED = (("genres_liked", "likes"), ("genres_disliked", "avoids"), ("themes_liked", "into"),
          ("themes_disliked", "not into"))  # a list in the insights and the verb its summary says it with


def _style_parts(insights: dict) -> list[str]:
    parts = [f"prefers {insights['pacing']} pacing"] if insights["pacing"] else []
    for want, verb in (("positive", "loves"), ("negative", "dislikes")):
        styles = [s.style for s in insights["visual_style"] if s.sentiment == want]
        if styles:
            parts.append(f"{verb} {', '.join(styles)} visuals")
    return parts


def _named_parts(insights: dict) -> list[str]:
    parts = [f"{verb} " + ", ".join(insights[key]) for key, verb in LISTED if insights[key]]
    parts += [f"{'likes' if p.sentiment == 'like' else 'dislikes'} {p.name}" for p in insights["people"]]
    return parts + [f"{f.sentiment} {f.title}" for f in insights["films"] if f.sentiment != "neutral"]


def summarize(insights: dict) -> str:
    """One short line of what was learned: 'prefers faster pacing; loves epic visuals; loved Dune'."""
    parts = _style_parts(insights) + _named_parts(insights)
    if insights["mood"] or insights["mood_context"]:
        moods = ", ".join(insights["mood"]) or "fitting"
        parts.append(f"wants {moods} films" + (f" for a {insights['mood_context']}" if insights["mood_context"] else ""))
    summary = "; ".join(parts)
    return summary if len(summary) <= 240 else summary[:237].rsplit(";", 1)[0] + "…"
