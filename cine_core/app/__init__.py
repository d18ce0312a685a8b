"""What the app's pages call, one module per concern (dashboard, actions, library, film, ...).

read_cache and starter are internal to it."""

__all__ = [
    "account", "actions", "arrivals", "auth", "dashboard", "diary", "film", "history", "household", "library",
    "night", "person", "services", "settings", "shelves", "status", "taste_page", "year_review",
]
