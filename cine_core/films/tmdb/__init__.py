"""The TMDB client (client) and its HTTP transport; the circuit breaker and response schemas are internal."""

__all__ = ["client", "transport"]
