"""What the app's pages call, one module per concern (dashboard, actions, library, film, ...).

Two calling conventions, one rule: a write, or a page's read (`taste_page.load_taste_page`,
`dashboard.open_dashboard`, `onboarding.load_onboarding`, `diary.load_diary`, ...), takes the pool, opens its own
user transaction and returns frozen dataclasses; that is what pages and ui call (no page opens a transaction:
tests/test_architecture.py). A piece of a read (`dashboard.list_picks`, `history.list_rated`, ...) takes a user
transaction's connection, so a face reads several pieces in one transaction. Every function here taking `conn`
only reads. Its `_modules` (_read_cache, _starter, _film_countries) are internal to it."""

__all__ = [
    "account", "actions", "arrivals", "auth", "dashboard", "diary", "film", "history", "household", "library",
    "night", "onboarding", "person", "services", "settings", "shelves", "status", "taste_page", "year_review",
]
