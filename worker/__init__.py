"""The CineAI background worker: `python -m worker [--once [--all]]`.

Drains the refresh queue continuously (woken by LISTEN/NOTIFY, polling as the safety net) and runs
the scout for users who are due. Several workers may share one database.
"""

__all__: list[str] = []  # the face is the command line (worker/__main__.py), not an import
