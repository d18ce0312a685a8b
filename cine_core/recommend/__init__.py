

__all__ = ["candidates", "catalog_picks", "claude_scorer", "claude_verdicts", "config", "engine", "features", "franchise",
           "local_scorer", "picks", "pipeline", "ranker", "reasons", "scout_state", "shelves", "signals", "suggest",
           "verdict_batches", "verdicts"]
