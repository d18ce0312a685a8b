"""Films: the bundled catalog, the film cache in front of TMDB or the catalog, and film rows."""

__all__ = ["cache", "catalog", "catalog_loader", "catalog_source", "rows", "source", "tmdb", "wiki"]
