"""What the taste panel lists as recently learned."""

from __future__ import annotations

from cine_core.domain.insights import ChatInsights
from cine_core.taste.profile import build_profile
from cine_core.taste.summary import summarize


def insight(**fields) -> ChatInsights:
    return ChatInsights.model_validate({"conversation_type": "general_preference", "significance": 0.8, **fields})


def test_recently_learned_lists_each_thing_once():
    profile = build_profile([], [insight(genres_liked=["sci-fi", "science fiction"], mood=["cozy", "cozy"]),
                                 insight(genres_liked=["Science Fiction"])])
    labels = [item.label.lower() for item in summarize(profile).recent_learning]
    assert labels and len(labels) == len(set(labels))
