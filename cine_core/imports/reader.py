"""Recognise an export file by its content and hand it to the parser for its format.

Nothing here touches the database. Every problem with the file itself is an ImportFileError with one
clear line; no other exception escapes (tests feed random and mutated files to `parse_bytes`).
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath

from cine_core.domain.errors import ImportFileError
from cine_core.imports.archive import is_zip, parse_archive
from cine_core.imports.imdb import is_imdb_header, parse_imdb_csv
from cine_core.imports.letterboxd import is_letterboxd_header, parse_letterboxd_csv
from cine_core.imports.rows import ParsedFile
from cine_core.imports.text import check_size, decode_text, read_csv
from cine_core.imports.trakt import parse_trakt_json

log = logging.getLogger(__name__)


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one export file (CSV, JSON or ZIP) from disk."""
    path = Path(path)
    try:
        check_size(path.stat().st_size, path.name)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    return parse_bytes(data, path.name)


def parse_bytes(data: bytes, name: str) -> ParsedFile:
    """Parse an export held in memory; `name` is the file name (it helps tell watched.csv from watchlist.csv)."""
    name = PurePosixPath(name).name or "the file"
    if not data.strip():
        raise ImportFileError(f"{name} is empty")
    if is_zip(data, name):
        return parse_archive(data, name, _parse_single)
    return _parse_single(data, name)


def _parse_single(data: bytes, name: str) -> ParsedFile:
    text = decode_text(data, name)
    if text.lstrip("\ufeff \t\r\n").startswith(("[", "{")):
        return parse_trakt_json(text.lstrip("\ufeff").encode("utf-8"), name)  # streamed, capped like a CSV
    header, rows = read_csv(text, name)
    if is_letterboxd_header(header):
        return parse_letterboxd_csv(header, rows, name)
    if is_imdb_header(header):
        return parse_imdb_csv(header, rows)
    raise ImportFileError(
        f"{name} is not a Letterboxd, IMDb or Trakt export (columns: {', '.join(header[:8]) or 'none'}). "
        "Expected Letterboxd 'Date,Name,Year,Letterboxd URI…', IMDb 'Const,Your Rating,…' or Trakt JSON."
    )

