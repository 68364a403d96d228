"""The committed profiles written by real Chromium decode to exactly the rows of their export folders.

The profiles under ``tests/fixtures/chromium_profiles/`` were written by
``tools/chromium_profile_writer`` (Debian's Chromium, the real Dexie library); no browser is needed
here. ``<name>/export/`` holds what ``<name>/profile/`` must decode to.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from cherry_migrate.sampledata.generator import PERSIST_VERSION
from cherry_migrate.sources.chromium import (
    IndexedDBReader,
    LocalStorageReader,
    read_persist_value,
    to_json_compatible,
)
from cherry_migrate.sources.chromium.binary import read_varint
from cherry_migrate.sources.chromium.envelope import decode_record_value
from cherry_migrate.sources.chromium.idb_keys import decode_key, encode_prefix
from cherry_migrate.sources.chromium.js_types import js_number
from cherry_migrate.sources.chromium.leveldb_log import (
    KIND_DELETE,
    KIND_PUT,
    iter_log_records,
    parse_write_batch,
)
from cherry_migrate.sources.chromium.leveldb_table import Table
from cherry_migrate.sources.chromium.local_storage import (
    LOCAL_STORAGE_PATH,
    PERSIST_KEY,
    decode_storage_string,
)

PROFILES = Path(__file__).resolve().parents[1] / "fixtures" / "chromium_profiles"
NAMES = ("small", "large-value", "updated")
STORES = (  # in the order Cherry Studio's schema versions add them
    "files",
    "topics",
    "settings",
    "knowledge_notes",
    "translate_history",
    "quick_phrases",
    "message_blocks",
    "translate_languages",
)
BLOB_THRESHOLD = 65536
WRAPPED, COMPRESSED = b"\xff\x11\x01", b"\xff\x11\x02"


def js_parse(data: bytes) -> object:
    """Parse JSON as JavaScript's JSON.parse does: every number is a double."""

    def number(text: str) -> int | float:
        return js_number(float(text))

    return json.loads(data, parse_int=number, parse_float=number)


def canonical(value: object) -> str:
    """JSON text that tells 1 from 1.0 and ignores property order."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True)


def utf16_order(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def exported_rows(export: Path, table: str) -> list[dict[str, object]]:
    rows = js_parse((export / "dexie_export" / f"{table}.json").read_bytes())
    assert isinstance(rows, list)
    return rows


def raw_entries(folder: Path) -> Iterator[tuple[bytes, int, int, bytes]]:
    """Every (key, sequence, kind, value) in a LevelDB folder's logs and tables, stale ones included."""
    issues: list = []
    for log in sorted(folder.glob("*.log")):
        with log.open("rb") as f:
            for record in iter_log_records(f, str(log), issues):
                for entry in parse_write_batch(record.data):
                    value = record.data[entry.value_start : entry.value_start + entry.value_length]
                    yield entry.key, entry.sequence, entry.kind, value
    for table in sorted(folder.glob("*.ldb")):
        with table.open("rb") as f:
            for key, sequence, kind, view in Table(f, str(table), issues).iter_range(lambda _: 0, b""):
                yield key, sequence, kind, bytes(view)
    assert issues == []


def store_history(profile: Path, store: str) -> dict[object, list[tuple[int, int, bytes]]]:
    """Per primary key of a CherryStudio store: every (sequence, kind, value) on disk, oldest first."""
    with IndexedDBReader.for_origin(profile) as reader:
        db = reader.database("CherryStudio")
        prefix = encode_prefix(db.id, db.store(store).id, 1)
    history: dict[object, list[tuple[int, int, bytes]]] = defaultdict(list)
    for key, sequence, kind, value in raw_entries(profile / "IndexedDB" / "file__0.indexeddb.leveldb"):
        if key.startswith(prefix):
            primary_key, _, _ = decode_key(key, len(prefix))
            history[primary_key].append((sequence, kind, value))
    return {key: sorted(entries) for key, entries in history.items()}


@pytest.fixture(params=NAMES)
def name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def profile(name: str) -> Path:
    return PROFILES / name / "profile"


@pytest.fixture
def export(name: str) -> Path:
    return PROFILES / name / "export"


def test_profiles_hold_only_storage_folders(profile: Path) -> None:
    assert sorted(p.name for p in profile.iterdir()) == ["IndexedDB", "Local Storage"]
    assert not [p for p in profile.rglob("*") if p.name in ("LOCK", "LOG", "LOG.old")]


def test_database_has_every_cherry_studio_store(profile: Path) -> None:
    with IndexedDBReader.for_origin(profile) as reader:
        (db,) = reader.databases()
    assert (db.name, db.origin, db.version) == ("CherryStudio", "file__0@1", 100)  # Dexie version 10
    assert [s.name for s in db.object_stores] == list(STORES)
    assert [i.key_path for i in db.store("message_blocks").indexes] == ["messageId", "file.id"]
    assert db.store("topics").indexes == ()  # version 7 dropped the topics.messages index


def test_every_table_decodes_to_the_exported_rows(profile: Path, export: Path) -> None:
    tables = sorted(p.stem for p in (export / "dexie_export").glob("*.json"))
    assert tables == sorted(STORES)
    with IndexedDBReader.for_origin(profile) as reader:
        for table in tables:
            expected = sorted(exported_rows(export, table), key=lambda row: utf16_order(str(row["id"])))
            records = list(reader.iter_records("CherryStudio", table))
            assert [key for key, _ in records] == [row["id"] for row in expected], table
            rows = [canonical(to_json_compatible(value)) for _, value in records]
            assert rows == [canonical(row) for row in expected], table
            assert reader.count("CherryStudio", table) == len(expected)
        assert reader.issues == []


def test_persist_value_holds_the_redux_slices(profile: Path, export: Path) -> None:
    raw = read_persist_value(profile)
    assert raw is not None
    persisted = json.loads(raw)
    slices = {p.stem: p.read_text(encoding="utf-8") for p in (export / "redux_export").glob("*.json")}
    assert set(persisted) == {*slices, "_persist"}
    assert json.loads(persisted["_persist"]) == {"version": PERSIST_VERSION, "rehydrated": True}
    for slice_name, text in slices.items():
        assert persisted[slice_name] == text, slice_name  # each slice's JSON text, unchanged


def test_other_local_storage_entries_are_stored(profile: Path, export: Path) -> None:
    entries = json.loads((export / "localstorage_export" / "localStorage.json").read_bytes())
    assert entries
    with LocalStorageReader(profile / LOCAL_STORAGE_PATH) as reader:
        assert reader.origins() == ["file://"]
        stored = dict(reader.items("file://"))
        assert reader.issues == []
    assert set(stored) == {entry["key"] for entry in entries} | {PERSIST_KEY}
    for entry in entries:
        assert json.loads(stored[entry["key"]]) == entry["value"]


def test_large_values_go_to_a_blob_file_or_get_compressed() -> None:
    profile = PROFILES / "large-value" / "profile"
    export = PROFILES / "large-value" / "export"
    large = {
        row["id"]
        for row in exported_rows(export, "message_blocks")
        if len(json.dumps(row).encode()) > BLOB_THRESHOLD
    }
    payloads = {}
    for key, entries in store_history(profile, "message_blocks").items():
        _, kind, value = entries[-1]
        assert kind == KIND_PUT
        payloads[key] = value[read_varint(value, 0)[1] :]
    wrapped = {key for key, payload in payloads.items() if payload.startswith(WRAPPED)}
    compressed = {key for key, payload in payloads.items() if payload.startswith(COMPRESSED)}
    assert wrapped and compressed
    assert wrapped | compressed == large
    blob_files = [p for p in (profile / "IndexedDB" / "file__0.indexeddb.blob").rglob("*") if p.is_file()]
    assert len(blob_files) == len(wrapped)


def test_updated_profile_keeps_stale_versions_and_tombstones() -> None:
    """The reader's rows (compared above) are the newest: older puts and deleted rows are on disk."""
    profile = PROFILES / "updated" / "profile"
    export = PROFILES / "updated" / "export"
    final_ids = {row["id"] for row in exported_rows(export, "message_blocks")}
    history = store_history(profile, "message_blocks")
    deleted = {key for key, entries in history.items() if entries[-1][1] == KIND_DELETE}
    edited = {key for key, entries in history.items() if [e[1] for e in entries] == [KIND_PUT, KIND_PUT]}
    assert deleted and edited
    assert deleted.isdisjoint(final_ids) and edited <= final_ids
    assert set(history) - deleted == final_ids
    texts_edited = 0
    for key in edited:
        first, last = (
            to_json_compatible(decode_record_value(value, [], None, 1, pytest.fail))
            for _, _, value in (history[key][0], history[key][-1])
        )
        assert isinstance(first, dict) and isinstance(last, dict)
        assert first != last and first["id"] == last["id"] == key
        if isinstance(first.get("content"), str):
            assert last["content"] == f"{first['content']} (edited)"
            texts_edited += 1
    assert texts_edited


def test_updated_profile_keeps_the_older_persist_value_and_a_removed_key() -> None:
    folder = PROFILES / "updated" / "profile" / LOCAL_STORAGE_PATH
    prefix = b"_file://\0"
    history: dict[str, list[tuple[int, int, bytes]]] = defaultdict(list)
    for key, sequence, kind, value in raw_entries(folder):
        if key.startswith(prefix):
            history[decode_storage_string(key[len(prefix) :])].append((sequence, kind, value))
    persist = [
        json.loads(json.loads(decode_storage_string(v))["_persist"])
        for _, _, v in sorted(history[PERSIST_KEY])
    ]
    assert [p["version"] for p in persist] == [PERSIST_VERSION - 1, PERSIST_VERSION]
    removed = [key for key, entries in history.items() if max(entries)[1] == KIND_DELETE]
    assert len(removed) == 1
    with LocalStorageReader(folder) as reader:
        assert reader.get("file://", removed[0]) is None
