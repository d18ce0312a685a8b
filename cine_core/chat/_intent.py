"""What a chat message wants, understood locally: a preference, a request for films, a question about a
film, small talk, or an attempt to instruct the model (guard.py). A request becomes a RequestSpec
(moods, genres, runtime, era, "like X"); a follow-up ("something shorter") builds on the previous one.
Pure: no database, network or LLM.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from cine_core.chat import _lexicon as lex
from cine_core.chat._guard import hostile_phrase
from cine_core.chat._mentions import Found
from cine_core.domain.chat_turn import Intent, RequestSpec
from cine_core.domain.insights import ChatInsights
from cine_core.domain.vocabulary import GRIM_MOODS, MOOD_WORDS, MOODS, canonical_genre

log = logging.getLogger(__name__)

SHORT_RUNTIME = 100  # minutes: what "short" means without a reference film
SHORTER_BY = 20  # "shorter" is clearly shorter: at least this many minutes under the reference...
SHORTER_SHARE = 0.85  # ... and at most this share of it (Heat, 170 min -> at most 144 min)
MIN_SHORTER = 85  # "shorter" still means a feature film
RECENT_YEARS = 8

_FOLLOW_UP = re.compile(
    r"\b(?:shorter|longer|older|newer|more recent|lighter|darker|funnier|scarier|another|other|else|different|"
    r"more|less)\b")
_QUESTION = re.compile(
    r"\b(?:what(?:'s| is) .{1,60} about|(?:is|are|was|were) .{1,60} any good|who (?:directed|made|is in|stars in|starred in)|is .{1,60} (?:good|worth)|"
    r"tell me about|have you seen|how long is|when (?:did|was) .{1,60} (?:come out|released|made)|"
    r"should i (?:watch|see) |who(?:'s| is) in|where (?:can|could|do|to) (?:i |we |you )?(?:watch|stream|see|find|rent)|"
    r"how long|what(?:'s| is) .{1,60} like\b|(?:was|is) .{1,60} (?:made|directed|filmed|shot) (?:by|in))")
# A message that opens like a question: about the film it names, unless it asks for films.
_QUESTION_START = re.compile(r"^(?:is|isn't|was|wasn't|does|did|do|are|were|has|have|can|could|would|will|who|whose|"
                             r"what|what's|whats|when|where|which|why|how)\b")
_SMALL_TALK = re.compile(
    r"^(?:hi|hello|hey|hiya|yo|thanks|thank you|thx|cheers|great|cool|ok(?:ay)?|good (?:morning|evening|night)|"
    r"how are you|who are you|what can you do|help|lol|haha\w*|nice|"
    r"you(?:'re| are) (?:\w+ ){0,2}(?:great|awesome|amazing|cool|helpful|the best|my fav\w*|my favou?rite))\b")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
# "what did you learn about me?", "what are my favourite genres?": the profile, not a film, is asked about.
_ABOUT_PROFILE = re.compile(
    r"\b(?:what (?:did|have|do|does) (?:you|cineai) (?:\w+ ){0,2}(?:learn\w*|know|think|figured? out|noticed)\b"
    r"[^.!?]{0,30}\b(?:me|my|i (?:like|love|enjoy|watch))\b|"
    r"(?:what|which)(?:'s| is| are|re)? (?:in )?my (?:\w+ )?(?:profile|taste|preferences|favou?rites?)\b|"
    r"(?:tell|show) me (?:what you (?:know|learned|learnt|think)|my (?:profile|taste))|"
    r"(?:do you know|what) (?:what )?(?:kind|sort|type)s? of (?:films?|movies?|cinema) i (?:like|love|enjoy)|"
    r"what (?:you(?:'ve| have)? )?(?:learned|learnt) (?:about|from) me|"
    r"(?:sais|connais)[- ]?(?:tu|vous)? (?:de |sur )?mes go[uû]ts|mis gustos|meinen geschmack)")


@dataclass(frozen=True, slots=True)
class Understanding:
    intent: Intent
    request: RequestSpec | None = None
    about: Found | None = None  # the film a question is about
    hostile: str | None = None
    about_profile: bool = False  # "what did you learn about me?": answered from the profile


def understand(text: str, insights: ChatInsights, names: list[Found], *, previous: RequestSpec | None = None,
               previous_runtimes: tuple[int, ...] = (), today: date | None = None) -> Understanding:
    """The intent and, for a request, what it asks for."""
    hostile = hostile_phrase(text)
    if hostile:
        return Understanding("injection", hostile=hostile)
    lower = " ".join(text.lower().split())
    if _ABOUT_PROFILE.search(lower):
        return Understanding("question", about_profile=True)
    films = [n for n in names if n.kind == "film" and n.movie is not None]
    asks = bool(lex.ASK.search(lower) or lex.MOOD_REQUEST.search(lower) or lex.MORE_LIKE.search(lower)
                or lex.RUNTIME_LIMIT.search(lower))
    if films and not lex.MORE_LIKE.search(lower) and (_QUESTION.search(lower) or (
            not asks and (_QUESTION_START.search(lower) or lower.rstrip().endswith("?")))):
        return Understanding("question", about=films[0])
    moods = _moods(lower, insights)
    follow_up = previous is not None and bool(_FOLLOW_UP.search(lower)) and not films
    learned = _learned_something(insights)
    if asks or follow_up or (moods and not learned) or (_limits_only(lower) and (previous is not None or not learned)):
        spec = request_spec(lower, insights, films, moods, previous=previous if follow_up else None,
                            previous_runtimes=previous_runtimes, today=today)
        return Understanding("request", request=spec)
    if learned:
        return Understanding("preference")
    if _SMALL_TALK.search(lower) and len(lower.split()) <= 8:
        return Understanding("small_talk")
    return Understanding("unclear")


def _learned_something(insights: ChatInsights) -> bool:
    return bool(insights.genres_liked or insights.genres_disliked or insights.people or insights.pacing
                or insights.visual_style or insights.themes_liked or insights.themes_disliked
                or any(f.sentiment != "neutral" for f in insights.films))


def _limits_only(lower: str) -> bool:
    return bool(lex.RUNTIME_LIMIT.search(lower) or lex.DECADE.search(lower) or re.search(r"\b(?:short|quick|recent|old)\b", lower))


def _moods(lower: str, insights: ChatInsights) -> list[str]:
    """Every mood the message names, in the vocabulary's words (domain/vocabulary.MOODS), then the extractor's."""
    found = [MOOD_WORDS[m.group()] for m in lex.MOOD_RE.finditer(lower)]
    out: list[str] = []
    for mood in [*found, *insights.mood]:
        if mood in MOODS and mood not in out:
            out.append(mood)
    return out[:4]


def request_spec(lower: str, insights: ChatInsights, films: list[Found], moods: list[str], *,
                 previous: RequestSpec | None = None, previous_runtimes: tuple[int, ...] = (),
                 today: date | None = None) -> RequestSpec:
    """The request's limits; a follow-up starts from `previous` and excludes what was already suggested."""
    base = previous or RequestSpec()
    like = [f.movie for f in films if f.movie is not None][:3]
    genres = [canonical_genre(g) for g in insights.genres_liked]
    avoid = [canonical_genre(g) for g in insights.genres_disliked]
    data = base.model_dump()
    if moods:
        grim = any(m in GRIM_MOODS for m in moods)
        kept = [m for m in base.moods if m not in moods and (m in GRIM_MOODS) == grim] if previous else []
        data["moods"] = [*moods, *kept][:4]
    if genres:
        data["genres"] = genres[:2]
    if avoid:
        data["avoid_genres"] = sorted({*base.avoid_genres, *avoid})[:6]
    if like:
        data["like_ids"] = [m.id for m in like]
    reference = [m.runtime for m in like if m.runtime] or list(previous_runtimes)
    runtime_max, runtime_min = _runtime(lower, reference)
    if runtime_max:
        data["runtime_max"], data["runtime_min"] = runtime_max, None
    if runtime_min:
        data["runtime_min"], data["runtime_max"] = runtime_min, None
    year_from, year_to = _era(lower, [m.year for m in like if m.year], today or date.today())
    if year_from or year_to:
        data["year_from"], data["year_to"] = year_from, year_to
    return RequestSpec.model_validate(data)


def _runtime(lower: str, reference: list[int]) -> tuple[int | None, int | None]:
    match = lex.RUNTIME_LIMIT.search(lower)
    if match:
        amount = _NUMBERS.get(match.group(1)) or float(match.group(1))
        minutes = amount * 60 if match.group(2).startswith("h") else amount
        return max(30, min(400, int(minutes))), None
    ref = sorted(reference)[len(reference) // 2] if reference else None
    if re.search(r"\b(?:shorter|not (?:so|too) long|less long)\b", lower):
        return (max(MIN_SHORTER, clearly_shorter(ref)) if ref else SHORT_RUNTIME), None
    if re.search(r"\b(?:short|quick|brief)\b", lower) and not re.search(r"\bshort(?:s| film)\b", lower):
        return SHORT_RUNTIME, None
    if re.search(r"\blonger\b", lower) and ref:
        return None, min(400, ref + SHORTER_BY)
    return None, None


def clearly_shorter(reference: int) -> int:
    """The longest runtime that is clearly shorter than `reference` minutes (<= 85% and >= 20 min under)."""
    return int(min(reference * SHORTER_SHARE, reference - SHORTER_BY))


def _era(lower: str, years: list[int], today: date) -> tuple[int | None, int | None]:
    match = lex.DECADE.search(lower)
    if match:
        century = match.group(1) or ("20" if match.group(2) in "012" else "19")
        start = int(f"{century}{match.group(2)}0")
        return start, start + 9
    if re.search(r"\b(?:newer|more recent)\b", lower) and years:
        return min(years) + 5, None
    if re.search(r"\b(?:recent|new|newer|latest|modern)\b", lower):
        return today.year - RECENT_YEARS, None
    if re.search(r"\b(?:older|old|classic|classics)\b", lower):
        return None, (min(years) - 5) if years else 1990
    return None, None
