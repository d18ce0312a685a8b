"""Recognise an export file by its content and hand it to the parser for its format.

Nothing here touches the database. Every problem with the file itself is an ImportFileError.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from cine_core.domain.errors import ImportFileError
from cine_core.imports.imdb import is_imdb_header, parse_imdb_csv
from cine_core.imports.letterboxd import is_letterboxd_header, parse_letterboxd_csv, parse_letterboxd_zip
from cine_core.imports.rows import ParsedFile
from cine_core.imports.text import decode_text, read_csv
from cine_core.imports.trakt import parse_trakt

log = logging.getLogger(__name__)


def parse_file(path: str | Path) -> ParsedFile:
    """Recognise the export by content (zip, JSON, or CSV header) and parse it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ImportFileError(f"{path.name} is empty")
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() == ".zip":
        return parse_letterboxd_zip(data, path.name)
    text = decode_text(data, path.name)
    if text.lstrip().startswith(("[", "{")):
        try:
            payload = json.loads(text)
        except ValueError as exc:
            raise ImportFileError(f"{path.name} is not valid JSON: {exc}") from exc
        rows, skipped = parse_trakt(payload, path.name)
        return ParsedFile("trakt", tuple(rows), tuple(skipped))
    return _parse_csv(text, path.name)


def _parse_csv(text: str, name: str) -> ParsedFile:
    header, rows = read_csv(text, name)
    if is_letterboxd_header(header):
        return parse_letterboxd_csv(header, rows, name)
    if is_imdb_header(header):
        return parse_imdb_csv(header, rows)
    raise ImportFileError(
        f"{name} is not a Letterboxd, IMDb or Trakt export (columns: {', '.join(header[:8]) or 'none'}). "
        "Expected Letterboxd 'Date,Name,Year,Letterboxd URI…' or IMDb 'Const,Your Rating,…'."
    )
