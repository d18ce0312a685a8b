"""The schema of what CineAI learns from one chat message. LLM output is validated against it
before anything is stored; the local extractor produces the same shape."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from cine_core.domain.chat_turn import ChatReply
from cine_core.domain.models import ConversationType

Label = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StylePreference(_Strict):
    style: Label = Field(description="a visual or storytelling style, e.g. 'epic', 'neon-noir', 'handheld'")
    sentiment: Literal["positive", "negative"]


class PersonPreference(_Strict):
    name: Name = Field(description="a director or actor, as named")
    role: Literal["director", "actor", "other"] = "other"
    sentiment: Literal["like", "dislike"]


class FilmMention(_Strict):
    title: Name
    sentiment: Literal["loved", "liked", "neutral", "disliked", "hated"]
    aspects: list[Label] = Field(default_factory=list, max_length=6, description="what about it, e.g. 'visuals'")
    movie_id: int | None = Field(default=None, description="catalog/TMDB id once resolved; models leave it null")


class ChatInsights(_Strict):
    """Everything one message taught CineAI about the user's taste."""

    conversation_type: ConversationType
    genres_liked: list[Label] = Field(default_factory=list, max_length=10)
    genres_disliked: list[Label] = Field(default_factory=list, max_length=10)
    visual_style: list[StylePreference] = Field(default_factory=list, max_length=8)
    pacing: Literal["faster", "slower"] | None = Field(default=None, description="the pacing the user prefers")
    themes_liked: list[Label] = Field(default_factory=list, max_length=10)
    themes_disliked: list[Label] = Field(default_factory=list, max_length=10)
    mood: list[Label] = Field(default_factory=list, max_length=6, description="moods wanted, e.g. 'cozy'")
    mood_context: Label | None = Field(default=None, description="the situation, e.g. 'rainy day'")
    people: list[PersonPreference] = Field(default_factory=list, max_length=10)
    films: list[FilmMention] = Field(default_factory=list, max_length=10)
    significance: float = Field(ge=0.0, le=1.0, description="how much this should change recommendations")
    summary: Annotated[str, StringConstraints(strip_whitespace=True, max_length=240)] = Field(
        default="", description="one short line: what was learned, e.g. 'prefers faster pacing; loves epic visuals'"
    )
    # CineAI's answer, stored with the message; never part of a model's tool schema (models do not write it).
    reply: SkipJsonSchema[ChatReply | None] = None
