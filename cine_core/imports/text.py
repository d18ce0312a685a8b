"""Reading an export's bytes as text and CSV rows; every problem is an ImportFileError."""

from __future__ import annotations

import csv
import io
import logging

from cine_core.domain.errors import ImportFileError

log = logging.getLogger(__name__)


def decode_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name} is not UTF-8 text (byte {exc.start}): is it the right file?") from exc


def read_csv(text: str, name: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(f"{name} is not a readable CSV file: {exc}") from exc
    header = [h.strip() for h in reader.fieldnames or []]
    if "\x00" in text:
        raise ImportFileError(f"{name} looks like a binary file, not a CSV export")
    return header, [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in rows]
