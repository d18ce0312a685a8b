"""A person's taste: the profile built from ratings, 👍/👎 and chat (profile), stored and loaded (store), in words (summary)."""

__all__ = [
    "profile", "store", "summary",
]
