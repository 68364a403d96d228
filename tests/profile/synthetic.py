"""Small v1 data folders built byte by byte (with the Chromium reader tests' writers), for cases the
Chromium-written samples do not have: settings rows, lone surrogates, undecodable records, extra
stores, the development origin."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from cherry_migrate.sources.chromium.binary import encode_varint
from cherry_migrate.sources.chromium.local_storage import encode_storage_string
from tests.chromium.idb_writer import BLINK_21_V8_16, _v8, data_key, metadata, v8_value
from tests.chromium.leveldb_writer import Entry, write_batch, write_leveldb

UNDECODABLE = b"\x01\xff\x15\xfe"
"""A record value whose envelope is cut short: the reader raises a per-record decode error."""


def bigint_value(row_id: str) -> bytes:
    """A stored ``{id, n: 5n}``: decodes, but ``JSON.stringify`` (so the v1 exporter) would throw."""
    bigint = b"Z" + encode_varint(8 << 1) + (5).to_bytes(8, "little")
    return encode_varint(1) + BLINK_21_V8_16 + b"o" + _v8("id") + _v8(row_id) + _v8("n") + bigint + b"{\x02"


def write_indexeddb(
    userdata: Path, stores: Mapping[str, Sequence[tuple[object, bytes]]], database: str = "CherryStudio"
) -> Path:
    """``IndexedDB/file__0.indexeddb.leveldb`` holding ``database`` with ``stores`` (name -> (key,
    encoded value) rows). Every store has key path ``id``."""
    ids = {name: number for number, name in enumerate(stores, start=1)}
    batches = [write_batch(1, metadata(1, database, {i: (name, "id", False) for name, i in ids.items()}))]
    sequence = 100
    for name, rows in stores.items():
        for key, value in rows:
            batches.append(write_batch(sequence, [(data_key(1, ids[name], key), value)]))
            sequence += 1
    folder = userdata / "IndexedDB" / "file__0.indexeddb.leveldb"
    return write_leveldb(folder, comparator="idb_cmp1", logs={3: batches})


def rows(*values: Mapping[str, object]) -> list[tuple[object, bytes]]:
    """Rows keyed by their ``id``, encoded as Chromium stores them."""
    return [(value["id"], v8_value(dict(value))) for value in values]


def write_local_storage(userdata: Path, items: Mapping[str, str], origin: str = "file://") -> Path:
    def encode(text: str) -> bytes:
        return encode_storage_string(text, utf16=any(ord(c) > 0xFF for c in text))

    entries: list[Entry] = [(b"VERSION", b"1"), (b"META:" + origin.encode(), b"\x08\x01")]
    entries += [(b"_" + origin.encode() + b"\0" + encode(k), encode(v)) for k, v in items.items()]
    return write_leveldb(userdata / "Local Storage" / "leveldb", logs={3: [write_batch(1, entries)]})


def persist_value(slices: Mapping[str, object]) -> str:
    """The two-level ``persist:cherry-studio`` value redux-persist writes."""
    outer = {name: json.dumps(value) for name, value in slices.items()}
    outer["_persist"] = json.dumps({"version": 180, "rehydrated": True})
    return json.dumps(outer)


def write_version_log(userdata: Path, *versions: str) -> Path:
    path = userdata / "version.log"
    path.write_text(
        "".join(
            f"{v}|linux|production|true|normal|2025-06-0{i + 1}T00:00:00.000Z\n"
            for i, v in enumerate(versions)
        ),
        encoding="utf-8",
    )
    return path


def file_row(file_id: str) -> dict[str, object]:
    """A ``files`` row whose file is not in ``Data/Files`` (migrated, with a warning)."""
    return {
        "id": file_id,
        "name": f"{file_id}.txt",
        "origin_name": f"{file_id}.txt",
        "path": f"/old/Data/Files/{file_id}.txt",
        "size": 3,
        "ext": ".txt",
        "type": "text",
        "created_at": "2025-01-01T00:00:00.000Z",
        "count": 1,
    }


def write_profile(userdata: Path, *, version: str | None = "1.9.12") -> Path:
    """A small complete v1 data folder: a file record and an undecodable one (``f-2``), one topic, three
    blocks (``b-2`` undecodable), settings rows, an extra store left by another schema, localStorage
    with the persist value and other keys."""
    write_indexeddb(
        userdata,
        {
            "files": [*rows(file_row("f-1")), ("f-2", UNDECODABLE)],
            "topics": rows({"id": "t-1", "messages": []}),
            "settings": rows(
                {"id": "translate:target:language", "value": "zh-cn"},
                {"id": "pinned:models", "value": ['{"id":"gpt-4o","provider":"openai"}']},
            ),
            "message_blocks": [
                *rows({"id": "b-1", "messageId": "m-1", "type": "main_text", "content": "lone \ud800 here"}),
                ("b-2", UNDECODABLE),
                *rows({"id": "b-3", "messageId": "m-1", "type": "main_text", "content": "fine"}),
            ],
            "translate_languages": [],
            "legacy_drafts": rows({"id": "d-1", "text": "left by an old schema"}),
        },
    )
    write_local_storage(
        userdata,
        {
            "persist:cherry-studio": persist_value({"settings": {"language": "en-US"}}),
            "onboarding-completed": "true",
            "plain": "not json",
            "odd-\ud83d": "x",
        },
    )
    (userdata / "config.json").write_text(json.dumps({"theme": "dark"}), encoding="utf-8")
    if version is not None:
        write_version_log(userdata, version)
    return userdata
