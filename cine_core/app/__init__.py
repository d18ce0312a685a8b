"""What the app's pages call, one module per concern (dashboard, actions, library, film, ...).

Two calling conventions, one rule: a write, or a page's whole read (`taste_page.load_taste_page`,
`chat.load_conversation`), takes the pool and opens its own transaction; a piece of a read (`dashboard.list_picks`,
`history.list_rated`, ...) takes a user transaction's connection, so a page that draws several pieces reads
them in one transaction (`services.user_transaction`). Every function here taking `conn` only reads.
read_cache and starter are internal to it."""

__all__ = [
    "account", "actions", "arrivals", "auth", "dashboard", "diary", "film", "history", "household", "library",
    "night", "person", "services", "settings", "shelves", "status", "taste_page", "year_review",
]
