"""The domain model: rows, errors, vocabulary and pure helpers; imports nothing of the project."""

__all__ = [
    "chat_turn", "errors", "insights", "models", "people", "protocols", "regions", "review_text", "seasons",
    "titles", "vocabulary", "watch",
]
