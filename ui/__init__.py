"""Streamlit widgets shared by app.py and the pages. UI only: data comes from cine_core. escape is internal."""

__all__ = [
    "account_panel", "arrivals", "auth_panel", "cards", "charts", "chat_view", "context", "diary", "format",
    "import_panel", "night", "pager", "providers", "rating_input", "shelves", "taste_panel", "unsubscribe",
]
