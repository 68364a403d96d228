"""The large-value sample decodes to exactly the rows of its export folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cherry_migrate.sources.chromium import (
    ChromiumDecodeError,
    IndexedDBReader,
    read_persist_value,
    to_json_compatible,
)
from cherry_migrate.sources.chromium.binary import read_varint
from cherry_migrate.sources.chromium.idb_keys import prefix_range
from cherry_migrate.sources.chromium.js_types import js_number
from cherry_migrate.sources.chromium.leveldb import LevelDB

WRAPPED_IN_BLOB = {"big-random", "big-semi", "big-semi-small", "mid-70k"}
COMPRESSED_INLINE = {"big-repeat", "comp-70k"}


def js_parse(path: Path) -> object:
    """Parse JSON as JavaScript's JSON.parse does: every number is a double."""

    def number(text: str) -> int | float:
        return js_number(float(text))

    return json.loads(path.read_text(encoding="utf-8"), parse_int=number, parse_float=number)


def canonical(value: object) -> str:
    """JSON text that tells 1 from 1.0 and ignores property order."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True)


def utf16_order(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


@pytest.fixture
def profile(fixtures: Path) -> Path:
    return fixtures / "large-values"


def test_every_exported_table_decodes_to_the_exported_rows(profile: Path) -> None:
    tables = sorted((profile / "export" / "dexie_export").glob("*.json"))
    assert {t.stem for t in tables} == {"topics", "message_blocks"}
    with IndexedDBReader.for_origin(profile) as reader:
        for table in tables:
            expected = js_parse(table)
            assert isinstance(expected, list)
            records = list(reader.iter_records("CherryStudio", table.stem))
            keys = [key for key, _ in records]
            assert keys == sorted(keys, key=lambda k: utf16_order(str(k)))  # ascending primary key
            rows = [to_json_compatible(value) for _, value in records]
            assert [row["id"] for row in rows] == keys  # type: ignore[index]
            by_id = sorted(expected, key=lambda row: utf16_order(row["id"]))
            assert [canonical(r) for r in rows] == [canonical(to_json_compatible(r)) for r in by_id]
            assert reader.count("CherryStudio", table.stem) == len(expected)
        assert reader.issues == []


def test_sample_covers_blob_wrapped_and_compressed_values(profile: Path) -> None:
    """The comparison above goes through every storage path: inline, Snappy, blob, blob+Snappy."""
    with IndexedDBReader.for_origin(profile) as reader:
        db = reader.database("CherryStudio")
        store = db.store("message_blocks")
    with LevelDB(profile / "IndexedDB" / "file__0.indexeddb.leveldb") as leveldb:
        data_range = prefix_range(db.id, store.id, 1)
        payloads = {}
        for key, value in leveldb.iter_range(data_range):
            row_id = key[len(data_range.prefix) + 2 :].decode("utf-16-be")
            payloads[row_id] = value[read_varint(value, 0)[1] :]
    assert {k for k, v in payloads.items() if v.startswith(b"\xff\x11\x01")} == WRAPPED_IN_BLOB
    assert {k for k, v in payloads.items() if v.startswith(b"\xff\x11\x02")} == COMPRESSED_INLINE
    blob_files = sorted((profile / "IndexedDB" / "file__0.indexeddb.blob").rglob("*"))
    headers = [p.read_bytes()[:3] for p in blob_files if p.is_file()]
    assert b"\xff\x11\x02" in headers  # a blob file holding a compressed value
    assert b"\xff\x15\xfe" in headers  # a blob file holding a plain value


def test_other_stores_are_listed_and_empty(profile: Path) -> None:
    with IndexedDBReader.for_origin(profile) as reader:
        (db,) = reader.databases()
        assert (db.name, db.origin, db.version) == ("CherryStudio", "file__0@1", 100)
        names = [s.name for s in db.object_stores]
        assert names == [
            "files",
            "topics",
            "settings",
            "knowledge_notes",
            "translate_history",
            "quick_phrases",
            "message_blocks",
            "translate_languages",
        ]
        assert db.store("message_blocks").indexes[1].key_path == "file.id"
        for name in names:
            if name not in ("topics", "message_blocks"):
                assert reader.count("CherryStudio", name) == 0


def test_persist_value_matches_the_redux_export(profile: Path) -> None:
    raw = read_persist_value(profile)
    assert raw is not None
    persisted = json.loads(raw)
    assert json.loads(persisted["_persist"]) == {"version": 180, "rehydrated": True}
    slices = sorted((profile / "export" / "redux_export").glob("*.json"))
    assert slices
    for path in slices:
        assert json.loads(persisted[path.stem]) == json.loads(path.read_text(encoding="utf-8"))


def test_without_the_blob_folder_only_wrapped_values_fail(profile: Path) -> None:
    errors: list[ChromiumDecodeError] = []
    with IndexedDBReader(profile / "IndexedDB" / "file__0.indexeddb.leveldb", None) as reader:
        ids = [
            key for key, _ in reader.iter_records("CherryStudio", "message_blocks", on_error=errors.append)
        ]
    assert len(ids) == 10 - len(WRAPPED_IN_BLOB)
    assert sorted(str(e.key) for e in errors) == sorted(f"db 1 store 7: {k!r}" for k in WRAPPED_IN_BLOB)
    assert all(".blob folder" in str(e) and e.file for e in errors)


def test_missing_blob_file_is_reported_per_record(profile: Path, tmp_path: Path) -> None:
    shutil.copytree(profile / "IndexedDB", tmp_path / "IndexedDB")
    blob = tmp_path / "IndexedDB" / "file__0.indexeddb.blob" / "1" / "00" / "4"
    blob.chmod(0o644)
    blob.parent.chmod(0o755)
    blob.unlink()
    with IndexedDBReader.for_origin(tmp_path) as reader:
        with pytest.raises(ChromiumDecodeError) as raised:
            list(reader.iter_records("CherryStudio", "message_blocks"))
        assert raised.value.file == str(blob)
        assert "big-random" in str(raised.value)
        errors: list[ChromiumDecodeError] = []
        rows = list(reader.iter_records("CherryStudio", "message_blocks", on_error=errors.append))
    assert len(rows) == 9 and len(errors) == 1
