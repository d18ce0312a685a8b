"""The catalog ranker: the whole catalog ranked for one person (index → features → fitted watch/like models).

`rank.CatalogRanker` is the face; `rank.shared_ranker` / `ready_ranker` the process-wide one; `rank.more_like` the
film page's "More like this"; `collaborative` the MovieLens-derived neighbours (CINE_COLLABORATIVE=0 turns them off).
"""

__all__ = ["collaborative", "features", "index", "model", "rank"]
