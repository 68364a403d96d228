"""localStorage on synthetic folders: encodings, metadata keys, origins, the persist value."""

from __future__ import annotations

from pathlib import Path

import pytest

from cherry_migrate.sources.chromium import ChromiumDecodeError, LocalStorageReader, read_persist_value
from cherry_migrate.sources.chromium.local_storage import encode_storage_string

from .leveldb_writer import write_batch, write_leveldb


def encode(text: str) -> bytes:
    """Chromium's choice: Latin-1 when every code unit fits, else UTF-16."""
    return encode_storage_string(text, utf16=any(ord(c) > 0xFF for c in text))


def item(origin: str, key: str, value: str | None) -> tuple[bytes, bytes | None]:
    return b"_" + origin.encode() + b"\0" + encode(key), None if value is None else encode(value)


def write_local_storage(userdata: Path, *batches: list[tuple[bytes, bytes | None]]) -> Path:
    folder = userdata / "Local Storage" / "leveldb"
    logged = [write_batch(1, [(b"VERSION", b"1")])]
    logged += [write_batch(10 * (i + 1), batch) for i, batch in enumerate(batches)]
    return write_leveldb(folder, logs={3: logged})


def test_items_skip_metadata_and_honour_deletions(tmp_path: Path) -> None:
    utf16_key = b"_file://\0" + encode_storage_string("c", utf16=True)
    folder = write_local_storage(
        tmp_path,
        [(b"META:file://", b"\x08\x01"), item("file://", "a", "1"), item("file://", "b", "2")],
        [item("file://", "a", None), item("file://", "b", "\u4e2d"), item("app://x", "a", "other")],
        [(b"META:app://x", b"\x08\x01"), (utf16_key, b"\x01v")],
    )
    with LocalStorageReader(folder) as reader:
        assert reader.origins() == ["app://x", "file://"]
        assert list(reader.items("file://")) == [("c", "v"), ("b", "\u4e2d")]  # stored key order
        assert reader.get("file://", "a") is None
        assert reader.get("file://", "b") == "\u4e2d"
        assert reader.get("file://", "c") == "v"  # found under the UTF-16 form of a Latin-1 key
        assert reader.get("app://x", "a") == "other"


def test_unknown_encoding_byte_names_folder_and_key(tmp_path: Path) -> None:
    folder = write_local_storage(tmp_path, [(b"_file://\0\x01k", b"\x05bad")])
    with LocalStorageReader(folder) as reader, pytest.raises(ChromiumDecodeError) as raised:
        reader.get("file://", "k")
    assert raised.value.file == str(folder) and "k" in str(raised.value.key)


def test_persist_value_prefers_the_packaged_origin(tmp_path: Path) -> None:
    assert read_persist_value(tmp_path) is None  # no localStorage at all
    dev = item("http://localhost:5173", "persist:cherry-studio", '{"from":"dev"}')
    write_local_storage(tmp_path / "dev", [dev])
    assert read_persist_value(tmp_path / "dev") == '{"from":"dev"}'
    packaged = item("file://", "persist:cherry-studio", '{"from":"\u4e2d"}')
    write_local_storage(tmp_path / "both", [dev, packaged])
    assert read_persist_value(tmp_path / "both") == '{"from":"\u4e2d"}'
