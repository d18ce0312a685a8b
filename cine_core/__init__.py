"""CineAI domain library, packages by concern (see README "Code map"). Never imports streamlit."""

__all__ = [
    "account", "alerts", "app", "chat", "cli", "config", "db", "digest", "domain", "films", "household", "imports",
    "jobs", "llm", "memory", "metering", "night", "recommend", "settings", "taste",
]
