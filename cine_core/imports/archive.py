"""Export ZIPs (Letterboxd's and Trakt's): pick the members that hold films and parse each one.

A damaged, truncated or encrypted archive, an unknown compression method or members that unpack to
more than the size limit are ImportFileErrors; nothing is unpacked to disk.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath

from cine_core.domain.errors import ImportFileError
from cine_core.imports.letterboxd import LETTERBOXD_FILES
from cine_core.imports.rows import ParsedFile, merge_parsed
from cine_core.imports.text import MAX_FILE_BYTES

log = logging.getLogger(__name__)

MAX_ARCHIVE_BYTES = 2 * MAX_FILE_BYTES  # everything unpacked together
TRAKT_WORDS = ("ratings", "watched", "history", "watchlist")
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

ParseMember = Callable[[bytes, str], ParsedFile]


def is_zip(data: bytes, name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip")


def parse_archive(data: bytes, name: str, parse_member: ParseMember) -> ParsedFile:
    """Parse the film members of a Letterboxd or Trakt export ZIP with `parse_member(bytes, member name)`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir() and _visible(i.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ImportFileError(f"{name} is not a valid zip file (damaged or incomplete download?)") from exc
    letterboxd = [i for i in infos if _top_level(i.filename) and PurePosixPath(i.filename).name.lower() in LETTERBOXD_FILES]
    trakt = [i for i in infos if i.filename.lower().endswith(".json")
             and any(w in PurePosixPath(i.filename).name.lower() for w in TRAKT_WORDS)]
    chosen, service = (letterboxd, "letterboxd") if letterboxd else (trakt, "trakt")
    if not chosen:
        raise ImportFileError(
            f"{name} holds neither a Letterboxd export ({', '.join(LETTERBOXD_FILES)}) nor Trakt JSON files"
        )
    if sum(i.file_size for i in chosen) > MAX_ARCHIVE_BYTES:
        raise ImportFileError(f"{name} unpacks to more than {MAX_ARCHIVE_BYTES // 1_000_000} MB: not an export")
    parts = [parse_member(_read(archive, info, name), info.filename) for info in chosen]
    parts = [p for p in parts if p.service == service]
    return merge_parsed(service, parts)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    member = f"{name}:{info.filename}"
    if info.flag_bits & 0x1:
        raise ImportFileError(f"{member} is encrypted; export it again without a password")
    if info.compress_type not in _METHODS:
        raise ImportFileError(f"{member} uses an unsupported compression method ({info.compress_type})")
    if info.file_size > MAX_FILE_BYTES:
        raise ImportFileError(f"{member} unpacks to {info.file_size / 1e6:.0f} MB; at most "
                              f"{MAX_FILE_BYTES // 1_000_000} MB per file")
    try:
        with archive.open(info) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # the header's size may lie
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise ImportFileError(f"{member} cannot be unpacked (damaged archive?)") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{member} unpacks to more than {MAX_FILE_BYTES // 1_000_000} MB")
    return data


def _visible(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return not any(p.startswith((".", "__MACOSX")) for p in parts)


def _top_level(path: str) -> bool:
    """Letterboxd keeps deleted entries and lists in sub-folders; a re-zipped export may add one folder."""
    parts = PurePosixPath(path).parts
    return len(parts) == 1 or (len(parts) == 2 and parts[0].lower() not in {"deleted", "lists", "likes", "orphaned"})
