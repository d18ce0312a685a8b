"""Claude: the capped client, Message Batches and their store, the daily budget, the local fallback.

prices is internal."""

__all__ = ["batch_store", "batches", "budget", "client", "fallback"]
