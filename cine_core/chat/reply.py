"""CineAI's words for one turn, composed locally: what it understood, what changed, what it suggests.

Pure. The Claude path may write its own `text`; everything else (films, question, undo) is the same.
"""

from __future__ import annotations

import logging

from cine_core.domain.chat_turn import Choice, RequestSpec
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import Movie

log = logging.getLogger(__name__)

HOSTILE = ("That reads like instructions for me rather than something about films, so I haven't changed "
           "anything in your profile or your picks. Tell me about a film you loved or hated, or what you "
           "feel like watching.")
SMALL_TALK = ("Hi! I'm your film companion. Tell me what you loved or hated (“I loved Arrival but it was slow”) "
              "or ask for something: “something uplifting”, “a film like Heat but shorter”, “what should I watch "
              "tonight?”.")
UNCLEAR = ("I didn't catch a film, a taste or a request in that. Try “I loved Dune's visuals”, “no more horror” "
           "or “something mind-bending under 2 hours”.")
SLOW_NOTE = "Claude didn't answer in time, so the local engine answered."


def describe_request(spec: RequestSpec, like_titles: list[str]) -> str:
    """'something uplifting, like Heat, under 2 h 30' — the request as CineAI understood it."""
    parts = []
    if spec.moods:
        parts.append("something " + " and ".join(spec.moods))
    if spec.genres:
        parts.append(" and ".join(spec.genres) + " films")
    if like_titles:
        parts.append("films like " + " and ".join(like_titles))
    if spec.avoid_genres:
        parts.append("no " + ", ".join(spec.avoid_genres))
    if spec.runtime_max:
        parts.append(f"under {_duration(spec.runtime_max)}")
    if spec.runtime_min:
        parts.append(f"over {_duration(spec.runtime_min)}")
    if spec.year_from and spec.year_to:
        parts.append(f"from {spec.year_from}–{spec.year_to}")
    elif spec.year_from:
        parts.append(f"from {spec.year_from} on")
    elif spec.year_to:
        parts.append(f"from before {spec.year_to + 1}")
    return ", ".join(parts) or "something good for tonight"


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes % 60 else f"{minutes // 60} hours" if minutes >= 120 \
        else "1 hour" if minutes == 60 else f"{minutes} minutes"


def learned_text(insights: ChatInsights, refresh_queued: bool) -> str:
    if not insights.summary:
        return ""
    text = f"Noted for your profile: {insights.summary}."
    if refresh_queued:
        text += " Your picks are being refreshed."
    return text


def request_text(spec: RequestSpec, like_titles: list[str], count: int, insights: ChatInsights,
                 refresh_queued: bool) -> str:
    asked = describe_request(spec, like_titles)
    if count:
        head = f"You asked for {asked}. Here {'is' if count == 1 else 'are'} {count} from the catalog, ranked for your taste:"
    else:
        head = (f"You asked for {asked}, but nothing in the catalog you haven't seen fits all of that. "
                "Try loosening it, e.g. drop the runtime or the era.")
    learned = learned_text(insights, refresh_queued)
    return f"{head}\n\n{learned}" if learned and not count else (f"{learned} {head}" if learned else head)


def preference_text(insights: ChatInsights, refresh_queued: bool) -> str:
    learned = learned_text(insights, refresh_queued)
    if not learned:
        return UNCLEAR
    if not refresh_queued:
        learned += " Your picks will take it into account at the next refresh."
    return learned + " Not right? Undo it below."


def question_text(movie: Movie) -> str:
    """A few facts about the film, from the catalog."""
    facts = [", ".join(g.lower() for g in movie.genres[:3]) or "a film"]
    if movie.directors:
        facts.append(f"directed by {movie.directors[0]}")
    if movie.cast:
        facts.append(f"with {', '.join(movie.cast[:2])}")
    if movie.runtime:
        facts.append(_duration(movie.runtime))
    year = f" ({movie.year})" if movie.year else ""
    overview = (movie.overview or "").split(". ")[0].strip()
    text = f"**{movie.title}**{year}: {'; '.join(facts)}."
    if overview:
        text += f" {overview.rstrip('.')}."
    if movie.vote_average and movie.vote_count >= 50:
        text += f" TMDB {movie.vote_average:.1f}/10."
    return text + f" Want more like it? Ask “more like {movie.title}”."


def ambiguous_text(title: str, choices: list[Choice]) -> str:
    return (f"Which {title} do you mean: " + " or ".join(c.label for c in choices)
            + "? I'll learn from your message once you pick one.")
