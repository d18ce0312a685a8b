"""Broken and hostile export files: one clear ImportFileError, never another exception, nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cine_core.db import transaction
from cine_core.domain.errors import ImportFileError
from cine_core.films.catalog_source import shared_catalog_source
from cine_core.imports.reader import parse_bytes
from cine_core.imports.service import import_file
from cine_core.imports.text import MAX_FILE_BYTES

REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real_exports"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
SAMPLES = sorted(p for p in FIXTURES.glob("*") if not p.name.startswith("broken-"))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_truncated_zip_is_a_clear_error():
    data = zip_bytes({"ratings.csv": b"Date,Name,Year,Letterboxd URI,Rating\n" * 200})
    with pytest.raises(ImportFileError, match="not a valid zip file"):
        parse_bytes(data[: len(data) // 2], "letterboxd.zip")


def test_binary_junk_is_a_clear_error():
    with pytest.raises(ImportFileError, match="binary file"):
        parse_bytes(bytes(range(256)) * 40, "ratings.csv")


def test_a_50_mb_file_is_refused_before_it_is_read(pool, local_user, tmp_path):
    path = tmp_path / "ratings.csv"
    with open(path, "wb") as fh:
        fh.write(b"Date,Name,Year,Letterboxd URI,Rating\n")
        fh.truncate(50 * 1024 * 1024)
    with transaction(pool) as conn:
        before = conn.execute("select count(*) as n from public.ratings").fetchone()["n"]
    with pytest.raises(ImportFileError, match=r"52 MB; an export file can be at most 32 MB"):
        import_file(pool, path, local_user, source=shared_catalog_source())
    with transaction(pool) as conn:
        assert conn.execute("select count(*) as n from public.ratings").fetchone()["n"] == before


def test_zip_bomb_member_is_refused():
    data = zip_bytes({"ratings.csv": b"Date,Name,Year,Letterboxd URI,Rating\n" + b"0" * (MAX_FILE_BYTES + 10)})
    assert len(data) < 200_000
    with pytest.raises(ImportFileError, match="unpacks to"):
        parse_bytes(data, "letterboxd.zip")


def test_encrypted_member_is_a_clear_error():
    data = bytearray(zip_bytes({"ratings.csv": b"Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,x,4\n"}))
    # Set the 'encrypted' flag in the local and central headers, as a password-protected archive has.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1
    with pytest.raises(ImportFileError, match="encrypted"):
        parse_bytes(bytes(data), "letterboxd.zip")



@pytest.mark.parametrize("method", [98, 12345])  # 98 = PPMd (real, not in zipfile); 12345: no such method
def test_a_member_with_an_unsupported_compression_method_is_a_clear_error(method):
    data = bytearray(zip_bytes({"ratings.csv": b"Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,x,4\n"}))
    # Rewrite the method in the local and central headers, as an archiver using PPMd writes it.
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(signature)
        data[at + offset:at + offset + 2] = method.to_bytes(2, "little")
    expected = f"letterboxd.zip:ratings.csv uses an unsupported compression method \\({method}\\)"
    with pytest.raises(ImportFileError, match=expected):
        parse_bytes(bytes(data), "letterboxd.zip")

def test_json_nested_100k_levels_is_a_clear_error():
    with pytest.raises(ImportFileError, match="nested too deeply"):
        parse_bytes(b"[" * 100_000 + b"]" * 100_000, "ratings-movies.json")


@pytest.mark.parametrize("item", [
    {"rated_at": 1e20, "rating": 8, "movie": {"title": "Heat", "year": 1995, "ids": {"tmdb": 949}}},
    {"rated_at": "2024-01-01", "rating": 8, "movie": {"title": "Heat", "year": 1e400, "ids": {"tmdb": float("inf")}}},
    {"rated_at": "2024-01-01", "rating": float("nan"), "movie": {"title": "Heat", "ids": {"tmdb": "Infinity"}}},
    {"rated_at": [], "rating": {"advanced": []}, "movie": {"title": 5, "ids": []}},
])
def test_absurd_trakt_values_are_skipped_or_dropped_not_raised(item):
    parsed = parse_bytes(json.dumps([item]).encode(), "ratings-movies.json")
    assert len(parsed.rows) + len(parsed.skipped) == 1
    assert all(r.when is None or 1870 <= r.when.year <= 2100 for r in parsed.rows)


def test_absurd_letterboxd_date_is_dropped():
    parsed = parse_bytes(b"Date,Name,Year,Letterboxd URI,Rating\n99999999999999999999,Heat,1995,x,4\n", "ratings.csv")
    assert parsed.rows[0].when is None and parsed.rows[0].rating == 4.0


def _samples() -> list[tuple[str, bytes]]:
    files = SAMPLES + sorted(p for p in REAL.glob("*/*") if p.suffix in {".csv", ".json"} and p.stat().st_size < 200_000)
    return [(p.name, p.read_bytes()) for p in files]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(_samples()), data=st.data())
def test_mutated_real_exports_raise_nothing_but_import_file_error(sample, data):
    name, original = sample
    raw = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip" and raw:
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del raw[at:at + data.draw(st.integers(1, 64))]
        else:
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
    try:
        parse_bytes(bytes(raw), name)
    except ImportFileError:
        pass


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=2048), name=st.sampled_from(["ratings.csv", "export.zip", "watched.json", "x"]))
def test_random_bytes_raise_nothing_but_import_file_error(raw, name):
    try:
        parse_bytes(raw, name)
    except ImportFileError:
        pass


def test_a_corrupt_compressed_member_is_a_clear_error():
    data = bytearray(zip_bytes({"ratings.csv": b"Date,Name,Year,Letterboxd URI,Rating\n" + b"2020-01-01,Heat,1995,x,4\n" * 50}))
    data[40] ^= 0xFF  # inside the deflate stream of the only member (found by the mutation test above)
    with pytest.raises(ImportFileError, match="cannot be unpacked|not a valid zip file"):
        parse_bytes(bytes(data), "letterboxd.zip")
