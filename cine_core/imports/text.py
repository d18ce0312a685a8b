"""Reading an export's bytes as text and CSV rows, whatever encoding and delimiter a real file has.

Every problem with the file itself is an ImportFileError with one clear line; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import logging

from charset_normalizer import from_bytes

from cine_core.domain.errors import ImportFileError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 32_000_000  # the largest real histories we know of are a few MB
MAX_ROWS = 200_000
DELIMITERS = (",", ";", "\t", "|")
# Spreadsheets and old Windows tools save exports in these; tried in order after UTF-8.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))

csv.field_size_limit(MAX_FILE_BYTES)


def check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{name} is {size / 1e6:.0f} MB; an export file can be at most {MAX_FILE_BYTES // 1_000_000} MB"
        )


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the encoding a detector is sure of, else cp1252."""
    check_size(len(data), name)
    if _looks_binary(data):
        raise ImportFileError(f"{name} looks like a binary file, not a CSV or JSON export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    candidates = ([best.encoding] if best is not None and best.encoding else []) + list(FALLBACK_ENCODINGS)
    for encoding in dict.fromkeys(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        log.info("Import: %s decoded as %s", name, encoding)
        return text
    raise ImportFileError(f"{name} is not text in any encoding we know")  # latin-1 decodes anything: unreachable


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    return controls > len(sample) * 0.01


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate that splits it into the most columns."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {d: _columns(header, d) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def _columns(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return line.count(delimiter) + 1


def read_csv(text: str, name: str) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) with every key and value stripped; extra cells beyond the header are dropped."""
    if "\x00" in text:
        raise ImportFileError(f"{name} looks like a binary file, not a CSV export")
    delimiter = sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        rows = []
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(f"{name} has more than {MAX_ROWS:,} rows; split it and import the parts")
            rows.append({key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header) if key})
    except csv.Error as exc:
        raise ImportFileError(f"{name} is not a readable CSV file: {exc}") from exc
    return header, rows
