"""Counting what external calls cost (TMDB, Claude, web): api_usage."""

__all__ = ["usage"]
