"""The chat companion: one message in, a reply out (what CineAI understood, what it changed, 3–5 films).

Local engine by default; Claude when configured, with the local engine answering whenever Claude is
slow, down or returns something invalid. Hostile text is answered and learns nothing. An ambiguous title
gets a question and nothing is learned until it is answered. A mood request, a stated genre or person,
or a message above the significance line queues a refresh at once. Pages call `talk`, `answer`,
`undo` and `load_chat`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pydantic
from psycopg_pool import ConnectionPool

from cine_core.app import dashboard
from cine_core.chat import reply as words
from cine_core.chat import turns
from cine_core.chat.allow_list import allowed, nothing_learned
from cine_core.chat.claude_turn import ask_claude, build_chat_client
from cine_core.chat.intent import Understanding, understand
from cine_core.chat.local_extractor import LocalExtractor
from cine_core.chat.mentions import Found, find_names
from cine_core.chat.resolve import resolve_films
from cine_core.chat.service import REFRESH_SIGNIFICANCE, clean_message
from cine_core.config import Settings, get_settings
from cine_core.db import transaction, user_transaction
from cine_core.domain.chat_turn import ChatReply, RequestSpec, Suggestion
from cine_core.domain.errors import DataError, LLMError
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import Pick, TriggerType
from cine_core.jobs import refresh_queue
from cine_core.llm.client import ClaudeClient
from cine_core.recommend.suggest import suggest_films
from cine_core.taste import store as taste_store
from cine_core.taste.summary import summarize as summarize_taste

log = logging.getLogger(__name__)

SUGGESTIONS = 4  # one full row of cards; Claude may choose up to 5
CLAUDE_CANDIDATES = 12
HISTORY_TURNS = 6  # what a follow-up and Claude see of the conversation
_LOCAL = LocalExtractor()


@dataclass(frozen=True, slots=True)
class ChatItem:
    """One turn as the page draws it: the message, the reply and the suggested films as cards."""

    turn: turns.Turn
    reply: ChatReply | None
    cards: list[dashboard.Card]


def _claude(settings: Settings | None, pool: ConnectionPool, llm: ClaudeClient | None | bool) -> ClaudeClient | None:
    if llm is False:
        return None
    if isinstance(llm, ClaudeClient):
        return llm
    return build_chat_client(settings or get_settings(), pool)


def talk(pool: ConnectionPool, user_id: str, message: str, *, llm: ClaudeClient | None | bool = None,
         settings: Settings | None = None) -> turns.Turn:
    """Answer and store one message. `llm=False` forces the local engine; None builds Claude from settings."""
    text = clean_message(message)
    return _respond(pool, user_id, text, forced={}, llm=_claude(settings, pool, llm))


def answer(pool: ConnectionPool, user_id: str, turn_id: str, movie_id: int, *,
           llm: ClaudeClient | None | bool = None, settings: Settings | None = None) -> turns.Turn:
    """The person picked one of the films CineAI asked about: the message is answered (and learned) again."""
    with user_transaction(pool, user_id) as conn:
        turn = turns.load_turn(conn, user_id, turn_id)
    asked = turn.insights.reply
    if asked is None or not asked.choices or movie_id not in {c.movie_id for c in asked.choices}:
        raise DataError("That answer does not match the question")
    forced = {(asked.ambiguous_title or "").lower(): movie_id}
    return _respond(pool, user_id, turn.text, forced=forced, llm=_claude(settings, pool, llm), rewrite=turn)


def undo(pool: ConnectionPool, user_id: str, turn_id: str) -> turns.Turn:
    """Forget what one message taught: the profile is rebuilt without it and picks are refreshed."""
    # What CineAI learned and the profile are server-owned: a service transaction, filtered by this user's id.
    with transaction(pool) as conn:
        turn = turns.load_turn(conn, user_id, turn_id)
        old = turn.insights.reply or ChatReply(intent="preference", text="")
        note = "Undone: I forgot what this message taught me."
        cleared = nothing_learned().model_copy(update={"reply": old.model_copy(update={
            "undone": True, "learned": [], "text": f"{old.text}\n\n{note}".strip()})})
        new = turns.rewrite_turn(conn, user_id, turn, cleared)
        taste_store.refresh_profile(conn, user_id)
        refresh_queue.enqueue(conn, user_id, TriggerType.CHAT)
    return new


def _respond(pool, user_id, text, *, forced: dict[str, int], llm: ClaudeClient | None,
             rewrite: turns.Turn | None = None) -> turns.Turn:
    with user_transaction(pool, user_id) as conn:
        profile = taste_store.load_profile(conn, user_id)
        rated = taste_store.load_rated(conn, user_id)
        history = turns.latest_turns(conn, user_id, limit=HISTORY_TURNS)
    if rewrite is not None:
        history = [t for t in history if t.created_at < rewrite.created_at]
    previous, shown = _previous_request(history)
    insights = _LOCAL.extract(text, profile=profile)
    names = _forced(find_names(text, _LOCAL.index), forced)
    insights = _force_films(insights, names, forced)
    understood = understand(text, insights, names, previous=previous,
                            previous_runtimes=tuple(shown_runtimes(pool, user_id, shown)))
    with user_transaction(pool, user_id) as conn:
        pending = None if understood.intent == "injection" else _ambiguity(conn, names, forced)
        spec = understood.request
        if spec is not None and shown:
            spec = spec.model_copy(update={"exclude_ids": sorted({*spec.exclude_ids, *shown})[-60:]})
        wants = spec if spec is not None else RequestSpec()
        films = [] if pending or understood.intent == "injection" else suggest_films(
            conn, user_id, wants, profile=profile, rated=rated,
            limit=CLAUDE_CANDIDATES if llm else SUGGESTIONS) if (spec is not None or llm) else []
    if pending is not None:
        return _store(pool, user_id, text, nothing_learned().model_copy(update={"reply": pending}), rewrite)
    if understood.intent == "injection":
        reply = ChatReply(intent="injection", text=words.HOSTILE)
        return _store(pool, user_id, text, nothing_learned().model_copy(update={"reply": reply}), rewrite)
    reply_text, note, engine = None, None, "local"
    suggestions = [Suggestion(movie_id=s.movie.id, reason=s.reason, confidence=s.confidence)
                   for s in films[:SUGGESTIONS]] if spec is not None else []
    intent = understood.intent
    if llm is not None:
        try:
            turn = ask_claude(llm, text, taste=_taste(profile), history=[(t.text, _said(t)) for t in history],
                              candidates=[s.movie for s in films], user_id=user_id)
            engine, intent = "claude", turn.intent
            insights = allowed(turn.insights, _LOCAL.index) if intent != "injection" else nothing_learned()
            reasons = {s.movie.id: s for s in films}
            suggestions = [Suggestion(movie_id=f.movie_id, reason=f.reason or reasons[f.movie_id].reason,
                                      confidence=reasons[f.movie_id].confidence) for f in turn.films]
            reply_text = turn.reply or None
        except (LLMError, pydantic.ValidationError) as exc:
            log.warning("chat: Claude failed (%s); the local engine answers", exc)
            note = words.SLOW_NOTE
    if intent in ("small_talk", "unclear", "question", "injection") and not _learns(insights):
        insights = nothing_learned()
    refresh = _needs_refresh(insights, spec)
    reply = ChatReply(intent=intent, engine=engine, suggestions=suggestions[:SUGGESTIONS], request=spec,
                      text=reply_text or _local_text(understood, insights, spec, refresh, suggestions),
                      refresh_queued=refresh, note=note)
    return _store(pool, user_id, text, insights.model_copy(update={"reply": reply}), rewrite, refresh=refresh)


def _store(pool, user_id, text, insights: ChatInsights, rewrite, *, refresh: bool = False) -> turns.Turn:
    # ai_learned and the profile are server-owned (no user grants): a service transaction, filtered by user_id.
    with transaction(pool) as conn:
        insights = resolve_films(conn, insights)
        turn = (turns.rewrite_turn(conn, user_id, rewrite, insights) if rewrite is not None
                else turns.store_turn(conn, user_id, text, insights))
        if _learns(insights) or rewrite is not None:  # nothing learned: the profile is not even touched
            taste_store.apply_insights(conn, user_id, insights)
        if refresh:
            refresh_queue.enqueue(conn, user_id, TriggerType.CHAT)
    log.info("chat %s for %s: %s via %s%s", turn.id, user_id, insights.reply.intent if insights.reply else "?",
             insights.reply.engine if insights.reply else "?", ", refresh queued" if refresh else "")
    return turn


def _learns(insights: ChatInsights) -> bool:
    return bool(insights.summary)


def _needs_refresh(insights: ChatInsights, spec: RequestSpec | None) -> bool:
    """Mood requests are the most time-sensitive messages: they refresh at once, whatever their significance."""
    return (insights.significance > REFRESH_SIGNIFICANCE or bool(insights.mood or insights.mood_context)
            or bool(spec and spec.moods) or bool(insights.genres_liked or insights.genres_disliked or insights.people))


def _local_text(understood: Understanding, insights, spec, refresh, suggestions) -> str:
    if understood.intent == "request" and spec is not None:
        return words.request_text(spec, _like_titles(spec), len(suggestions), insights, refresh)
    if understood.intent == "question" and understood.about and understood.about.movie:
        return words.question_text(understood.about.movie)
    if understood.intent == "small_talk":
        return words.SMALL_TALK
    return words.preference_text(insights, refresh)


def _like_titles(spec: RequestSpec) -> list[str]:
    by_id = {m.id: m.title for m in _LOCAL.index.titles.values() if m.id in spec.like_ids}
    return [by_id[i] for i in spec.like_ids if i in by_id]


def _previous_request(history: list[turns.Turn]) -> tuple[RequestSpec | None, list[int]]:
    """The latest request in the conversation and every film already suggested in it."""
    previous, shown = None, []
    for turn in history:
        reply = turn.insights.reply
        if reply is not None and reply.request is not None and not reply.undone:
            previous = reply.request
        if reply is not None:
            shown += [s.movie_id for s in reply.suggestions]
    return previous, shown


def shown_runtimes(pool, user_id: str, shown: list[int]) -> list[int]:
    """Runtimes of the last suggestions (what "shorter" is relative to)."""
    if not shown:
        return []
    with user_transaction(pool, user_id) as conn:
        cards = dashboard.cards_for_movies(conn, user_id, shown[-SUGGESTIONS:])
    return [c.movie.runtime for c in cards if c.movie.runtime]


def _forced(names: list[Found], forced: dict[str, int]) -> list[Found]:
    if not forced:
        return names
    by_id = {m.id: m for m in _LOCAL.index.titles.values()}
    out = []
    for found in names:
        chosen = forced.get(found.name.lower())
        movie = by_id.get(chosen) if chosen else None
        out.append(replace(found, movie=movie or found.movie) if chosen else found)
    return out


def _force_films(insights: ChatInsights, names: list[Found], forced: dict[str, int]) -> ChatInsights:
    if not forced:
        return insights
    films = [f.model_copy(update={"movie_id": forced[f.title.lower()]}) if f.title.lower() in forced else f
             for f in insights.films]
    return insights.model_copy(update={"films": films})


def _ambiguity(conn, names: list[Found], forced: dict[str, int]) -> ChatReply | None:
    for found in names:
        if found.kind != "film" or found.name.lower() in forced:
            continue
        choices = turns.namesakes(conn, found.name)
        if choices:
            return ChatReply(intent="unclear", text=words.ambiguous_text(found.name, choices),
                             question=f"Which {found.name}?", ambiguous_title=found.name, choices=choices)
    return None


def _taste(profile) -> dict:
    """The profile in words for Claude's user turn (never the system prompt)."""
    summary = summarize_taste(profile)
    return {"favourite_genres": [i.label for i in summary.favourite_genres],
            "disliked_genres": [i.label for i in summary.disliked_genres],
            "people": [i.label for i in summary.people], "themes_and_moods": [i.label for i in summary.themes],
            "visual_style": [i.label for i in summary.visual_style],
            "pacing": summary.pacing.label if summary.pacing else None, "ratings": summary.rating_count}


def _said(turn: turns.Turn) -> str:
    return turn.insights.reply.text if turn.insights.reply else turn.insights.summary


def load_chat(pool: ConnectionPool, user_id: str, *, limit: int = 30) -> list[ChatItem]:
    """The last conversation with each reply's films as cards (one query for all of them)."""
    with user_transaction(pool, user_id) as conn:
        history = turns.latest_turns(conn, user_id, limit=limit)
        ids = [s.movie_id for t in history if t.insights.reply for s in t.insights.reply.suggestions]
        cards = {c.movie.id: c for c in dashboard.cards_for_movies(conn, user_id, ids)}
    items = []
    for turn in history:
        reply = turn.insights.reply
        shown = []
        source = _source(reply.request) if reply else "mood_match"
        for s in (reply.suggestions if reply else []):
            card = cards.get(s.movie_id)
            if card is not None:
                pick = Pick(movie=card.movie, confidence=s.confidence, reason=s.reason, discovery_source=source,
                            generated_at=turn.created_at or datetime.now(UTC), matcher=reply.engine)
                shown.append(replace(card, pick=pick))
        items.append(ChatItem(turn, reply, shown))
    return items


def _source(spec: RequestSpec | None) -> str:
    """The card's badge: a mood match, or like the films you rated / named."""
    return "mood_match" if spec is not None and spec.moods else "similar_to_rated"
