"""What CineAI answered to one chat message, stored with the message (in `ai_learned.reply`).

Pydantic because it is stored as JSON and read back (the edge); the page rebuilds the conversation from it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Intent = Literal["preference", "request", "question", "small_talk", "injection", "unclear"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1200)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=240)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestSpec(_Strict):
    """What a request asks for, kept so that a follow-up ("something shorter") can build on it."""

    moods: list[str] = Field(default_factory=list, max_length=4)
    genres: list[str] = Field(default_factory=list, max_length=6)  # lower-case TMDB names
    avoid_genres: list[str] = Field(default_factory=list, max_length=6)
    keywords: list[str] = Field(default_factory=list, max_length=8)
    like_ids: list[int] = Field(default_factory=list, max_length=3)  # "a film like Heat"
    runtime_max: int | None = Field(default=None, ge=30, le=400)  # minutes
    runtime_min: int | None = Field(default=None, ge=30, le=400)
    year_from: int | None = Field(default=None, ge=1880, le=2100)
    year_to: int | None = Field(default=None, ge=1880, le=2100)
    exclude_ids: list[int] = Field(default_factory=list, max_length=60)  # already suggested in this conversation

    @property
    def empty(self) -> bool:
        return not (self.moods or self.genres or self.keywords or self.like_ids or self.runtime_max
                    or self.runtime_min or self.year_from or self.year_to)


class Suggestion(_Strict):
    movie_id: int
    reason: Line
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class Choice(_Strict):
    """One answer to a question CineAI asked ("Dune (2021)")."""

    movie_id: int
    label: Line


class ChatReply(_Strict):
    """The answer shown under the message, and what the page needs to redraw it later."""

    intent: Intent
    text: Text
    engine: Literal["local", "claude"] = "local"
    suggestions: list[Suggestion] = Field(default_factory=list, max_length=5)
    question: Line | None = None  # asked instead of learning (an ambiguous title)
    ambiguous_title: Line | None = None
    choices: list[Choice] = Field(default_factory=list, max_length=4)
    request: RequestSpec | None = None
    learned: list[str] = Field(default_factory=list, max_length=20)  # removable keys this message taught
    refresh_queued: bool = False
    undone: bool = False
    note: Line | None = None  # e.g. "Claude was slow, so the local engine answered"
