"""CineAI's words for one turn, composed locally: what it understood, what changed, what it suggests.

Pure. The Claude path may write its own `text`; everything else (films, question, undo) is the same.
"""

from __future__ import annotations

import logging

from cine_core.domain.chat_turn import Choice, RequestSpec
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import Movie
from cine_core.taste.summary import TasteSummary

log = logging.getLogger(__name__)

HOSTILE = ("That reads like instructions for me rather than something about films, so I haven't changed "
           "anything in your profile or your picks. Tell me in your own words about a film you loved or hated, "
           "or what you feel like watching; to edit your profile directly, use the Taste page.")
SMALL_TALK = ("Hi! I'm your film companion. Tell me what you loved or hated (“I loved Arrival but it was slow”) "
              "or ask for something: “something uplifting”, “a film like Heat but shorter”, “what should I watch "
              "tonight?”.")
UNCLEAR = ("I didn't catch a film, a taste or a request in that. Try “I loved Dune's visuals”, “no more horror” "
           "or “something mind-bending under 2 hours”.")
SLOW_NOTE = "Claude didn't answer in time, so the local engine answered."
CAPPED_NOTE = "Claude's daily limit is used up, so the local engine answered (Claude is back tomorrow, UTC)."
TONIGHT = "That mood is for this conversation; it isn't saved to your profile."
EMPTY_PROFILE = ("I haven't learned anything about your taste yet. Rate a few films, or tell me about one you "
                 "loved or hated (“I loved Arrival but it was slow”).")


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
        if spec.moods:
            head = f"{head[:-1]}. {TONIGHT}"
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


def profile_text(summary: TasteSummary, learned_now: str = "", history: str = "") -> str:
    """What CineAI has learned about the person, from the profile (the Taste page lists the same items), then
    `history`: what their whole history of ratings says (`_history_words.history_text`)."""
    parts = []
    if summary.favourite_genres:
        parts.append("you like " + _listed(summary.favourite_genres))
    if summary.disliked_genres:
        parts.append("you're less keen on " + _listed(summary.disliked_genres, lower=False).replace("Not a fan of ", ""))
    liked_people = [i for i in summary.people if i.strength > 0]
    if liked_people:
        parts.append("people you like: " + _listed(liked_people, lower=False))
    if summary.themes:
        parts.append("themes and moods: " + _listed(summary.themes))
    if summary.visual_style:
        parts.append("visuals: " + _listed(summary.visual_style))
    if summary.pacing:
        parts.append(summary.pacing.label.lower())
    if not parts:
        return f"{history} You can remove anything on the Taste page." if history else EMPTY_PROFILE
    ratings = f"{summary.rating_count} rating{'s' if summary.rating_count != 1 else ''}"
    told = " and what you've told me" if summary.recent_learning else ""
    text = f"From your {ratings}{told}: " + "; ".join(parts) + "."
    if learned_now:
        text += f" And from this message: {learned_now}."
    if history:
        text += f" {history}"
    return text + " You can remove anything on the Taste page."


def _listed(items, *, lower: bool = True, limit: int = 4) -> str:
    labels = [i.label.lower() if lower else i.label for i in items[:limit]]
    return ", ".join(labels)


def ambiguous_text(title: str, choices: list[Choice]) -> str:
    return (f"Which {title} do you mean: " + " or ".join(c.label for c in choices)
            + "? I'll learn from your message once you pick one.")
