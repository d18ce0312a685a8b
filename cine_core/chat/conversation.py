"""The chat: one message in, one stored turn out (what CineAI understood, what it changed, 3–5 films).

The one pipeline behind the chat page (docs/chat-flow.md walks it call by call). Local engine by
default; Claude when configured and within the daily caps (checked by the client before each request), with the local engine answering
whenever Claude is capped, slow, down or returns something invalid, and the reply saying which. Hostile or
instruction-shaped text is answered and learns nothing. An ambiguous title gets a question and nothing is
learned until it is answered. A request's moods ("something uplifting for tonight") last the conversation,
never the profile. A question about the profile is answered from it. Pages call `talk`, `answer`, `undo`
and `load_conversation`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pydantic
from psycopg_pool import ConnectionPool

from cine_core.chat import _reply as words
from cine_core.chat import turns
from cine_core.chat._allow_list import allowed, nothing_learned, session_only
from cine_core.chat._claude_turn import ask_claude, build_chat_client
from cine_core.chat._follow_up import force_films, forced_names, like_titles, previous_request, shown_runtimes
from cine_core.chat._history_words import history_text
from cine_core.chat._intent import Understanding, understand
from cine_core.chat._local_extractor import LocalExtractor
from cine_core.chat._mentions import Found, find_names
from cine_core.chat._resolve import resolve_films
from cine_core.config import Settings, get_settings
from cine_core.db import user_transaction
from cine_core.domain.chat_turn import ChatReply, RequestSpec, Suggestion
from cine_core.domain.errors import DataError, LLMError
from cine_core.domain.insights import ChatInsights
from cine_core.domain.models import TriggerType
from cine_core.jobs import refresh_queue
from cine_core.llm.budget import LLMCapReached
from cine_core.llm.client import ClaudeClient
from cine_core.recommend.suggest import suggest_films
from cine_core.taste import store as taste_store
from cine_core.taste.summary import summarize as summarize_taste

log = logging.getLogger(__name__)

SUGGESTIONS = 4  # one full row of cards; Claude may choose up to 5
CLAUDE_CANDIDATES = 12
HISTORY_TURNS = 6  # what a follow-up and Claude see of the conversation
REFRESH_SIGNIFICANCE = 0.7  # a lasting statement above this refreshes picks at once
_QUIET = ("small_talk", "unclear", "question", "injection")  # intents that teach only what they state
_LOCAL = LocalExtractor()


@dataclass(frozen=True, slots=True)
class ChatItem:
    """One turn as the page draws it: the message, the reply, and the films it suggested (ids, best first)."""

    turn: turns.Turn
    reply: ChatReply | None

    @property
    def suggested_ids(self) -> list[int]:
        return [s.movie_id for s in self.reply.suggestions] if self.reply else []

    @property
    def pending(self) -> bool:
        """CineAI asked which film was meant and has no answer yet (the buttons stay until answered)."""
        return bool(self.reply and self.reply.choices and not self.reply.undone)


def _claude(settings: Settings | None, pool: ConnectionPool, llm: ClaudeClient | None | bool) -> ClaudeClient | None:
    if llm is False:
        return None
    if isinstance(llm, ClaudeClient):
        return llm
    return build_chat_client(settings or get_settings(), pool)


def talk(pool: ConnectionPool, user_id: str, message: str, *, llm: ClaudeClient | None | bool = None,
         settings: Settings | None = None) -> turns.Turn:
    """Answer and store one message. `llm=False` forces the local engine; None builds Claude from settings."""
    text = turns.clean_message(message)
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
    with user_transaction(pool, user_id) as conn:
        turn = turns.load_turn(conn, user_id, turn_id)
    old = turn.insights.reply or ChatReply(intent="preference", text="")
    note = "Undone: I forgot what this message taught me."
    cleared = nothing_learned().model_copy(update={"reply": old.model_copy(update={
        "undone": True, "learned": [], "text": f"{old.text}\n\n{note}".strip()})})
    # What CineAI learned and the profile are server-owned: written through the functions granted to the app's
    # own login (turns.save_turn, taste_store.relearn), no service rights; the refresh is asked as the person.
    new = turns.save_turn(pool, user_id, turn.text, cleared, rewrite=turn)
    taste_store.relearn(pool, user_id)
    with user_transaction(pool, user_id) as conn:
        refresh_queue.request_refresh(conn, user_id, TriggerType.CHAT)
    return new


def load_conversation(pool: ConnectionPool, user_id: str, *, limit: int = 30) -> list[ChatItem]:
    """The latest turns, oldest first, each with its reply (the page asks for the films' cards in one read)."""
    with user_transaction(pool, user_id) as conn:
        history = turns.latest_turns(conn, user_id, limit=limit)
    return [ChatItem(turn, turn.insights.reply) for turn in history]


def _respond(pool, user_id, text, *, forced: dict[str, int], llm: ClaudeClient | None,
             rewrite: turns.Turn | None = None) -> turns.Turn:
    with user_transaction(pool, user_id) as conn:
        profile = taste_store.load_profile(conn, user_id)
        rated = taste_store.load_rated(conn, user_id)
        history = turns.latest_turns(conn, user_id, limit=HISTORY_TURNS)
        if rewrite is not None:
            history = [t for t in history if t.created_at < rewrite.created_at]
        previous, shown = previous_request(history)
        runtimes = shown_runtimes(conn, shown[-SUGGESTIONS:])
    insights, names, understood = read_message(text, profile=profile, previous=previous, runtimes=runtimes,
                                                forced=forced)
    if understood.intent == "injection":
        reply = ChatReply(intent="injection", text=words.HOSTILE)
        return _store(pool, user_id, text, nothing_learned().model_copy(update={"reply": reply}), rewrite)
    with user_transaction(pool, user_id) as conn:
        pending = _ambiguity(conn, names, forced)
        spec = understood.request
        if spec is not None and shown:
            spec = spec.model_copy(update={"exclude_ids": sorted({*spec.exclude_ids, *shown})[-60:]})
        films = [] if pending or (spec is None and llm is None) else _suggestions(
            conn, user_id, spec or RequestSpec(), profile, rated, CLAUDE_CANDIDATES if llm else SUGGESTIONS)
    if pending is not None:
        return _store(pool, user_id, text, nothing_learned().model_copy(update={"reply": pending}), rewrite)
    reply_text, note, engine, intent = None, None, "local", understood.intent
    suggestions = [Suggestion(movie_id=s.movie.id, reason=s.reason, confidence=s.confidence)
                   for s in films[:SUGGESTIONS]] if spec is not None else []
    if llm is not None and not understood.about_profile:
        try:
            turn = ask_claude(llm, text, taste=_taste(profile), history=[(t.text, _said(t)) for t in history],
                              candidates=[s.movie for s in films], user_id=user_id)
            engine, intent = "claude", turn.intent
            insights = allowed(turn.insights, _LOCAL.index, text) if intent != "injection" else nothing_learned()
            reasons = {s.movie.id: s for s in films}
            suggestions = [Suggestion(movie_id=f.movie_id, reason=f.reason or reasons[f.movie_id].reason,
                                      confidence=reasons[f.movie_id].confidence) for f in turn.films]
            reply_text = turn.reply or None
        except LLMCapReached:  # nothing was sent (llm/budget.py)
            note = words.CAPPED_NOTE
        except (LLMError, pydantic.ValidationError) as exc:
            log.warning("chat: Claude failed (%s); the local engine answers", type(exc).__name__)
            note = words.SLOW_NOTE
    insights = what_is_stored(intent, insights)
    suggestions = sorted(suggestions, key=lambda s: -s.confidence)[:SUGGESTIONS]
    refresh = _needs_refresh(insights)
    if understood.about_profile and engine == "local":
        reply_text = words.profile_text(summarize_taste(profile), insights.summary, history_text(rated))
    reply = ChatReply(intent=intent, engine=engine, suggestions=suggestions, request=spec,
                      text=reply_text or _local_text(understood, insights, spec, refresh, suggestions), note=note,
                      refresh_queued=refresh)
    return _store(pool, user_id, text, insights.model_copy(update={"reply": reply}), rewrite, refresh=refresh)


def read_message(text: str, *, profile=None, previous: RequestSpec | None = None, runtimes=(),
                 forced: dict[str, int] | None = None, extractor: LocalExtractor = _LOCAL,
                 ) -> tuple[ChatInsights, list[Found], Understanding]:
    """The local engine's reading of one message: what it states, the names in it, and what it wants."""
    forced = forced or {}
    insights = extractor.extract(text, profile=profile)
    names = forced_names(find_names(text, extractor.index), forced, extractor.index)
    insights = force_films(insights, forced)
    return insights, names, understand(text, insights, names, previous=previous, previous_runtimes=tuple(runtimes))


def what_is_stored(intent: str, insights: ChatInsights) -> ChatInsights:
    """What a turn teaches the profile: nothing for hostile text, or for small talk, unclear text and questions
    that state no taste; a request's moods stay with the request (tonight's, never the profile's)."""
    if intent == "injection" or (intent in _QUIET and not _learns(insights)):
        return nothing_learned()
    return session_only(insights) if intent == "request" else insights


def _suggestions(conn, user_id, spec: RequestSpec, profile, rated, limit: int):
    """The one call into the recommender for chat: films for this request, ranked for this person."""
    return suggest_films(conn, user_id, spec, profile=profile, rated=rated, limit=limit)


def _store(pool, user_id, text, insights: ChatInsights, rewrite, *, refresh: bool = False) -> turns.Turn:
    with user_transaction(pool, user_id) as conn:
        insights = resolve_films(conn, insights)
    # ai_learned and the profile are server-owned (no user grants): written through the functions granted to the
    # app's own login, no service rights. The turn is stored first; a profile write that fails after it leaves
    # the turn, and the next rebuild (any message, rating or undo) counts it.
    turn = turns.save_turn(pool, user_id, text, insights, rewrite=rewrite)
    if _learns(insights) or rewrite is not None:  # nothing learned: the profile is not even touched
        taste_store.relearn(pool, user_id, extra=insights)
    if refresh:
        with user_transaction(pool, user_id) as conn:
            refresh_queue.request_refresh(conn, user_id, TriggerType.CHAT)
    log.info("chat %s for %s: %s via %s%s", turn.id, user_id, insights.reply.intent if insights.reply else "?",
             insights.reply.engine if insights.reply else "?", ", refresh queued" if refresh else "")
    return turn


def _learns(insights: ChatInsights) -> bool:
    return bool(insights.summary)


def _needs_refresh(insights: ChatInsights) -> bool:
    """A lasting statement of taste refreshes picks at once; tonight's mood changes the answer, not the picks."""
    return _learns(insights) and (insights.significance > REFRESH_SIGNIFICANCE or bool(
        insights.genres_liked or insights.genres_disliked or insights.people or insights.mood))


def _local_text(understood: Understanding, insights, spec, refresh, suggestions) -> str:
    if understood.intent == "request" and spec is not None:
        return words.request_text(spec, like_titles(spec, _LOCAL.index), len(suggestions), insights, refresh)
    if understood.intent == "question" and understood.about and understood.about.movie:
        return words.question_text(understood.about.movie)
    if understood.intent == "small_talk":
        return words.SMALL_TALK
    return words.preference_text(insights, refresh)


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
