"""Every value and key type of the exotic sample decodes to what written-by.html wrote."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from cherry_migrate.sources.chromium import (
    UNDEFINED,
    IndexedDBReader,
    JsArray,
    JsArrayBufferView,
    JsBigInt,
    JsBlob,
    JsBoxed,
    JsDate,
    JsError,
    JsFile,
    JsMap,
    JsonConversionError,
    JsRegExp,
    JsSet,
    LocalStorageReader,
    to_json_compatible,
)

Rows = dict[Any, Any]


@pytest.fixture
def things(fixtures: Path) -> Rows:
    with IndexedDBReader.for_origin(fixtures / "exotic-types") as reader:
        rows = dict(reader.iter_records("Exotic", "things"))
        assert reader.issues == []
    return rows


def test_schema_lists_live_stores_only(fixtures: Path) -> None:
    with IndexedDBReader.for_origin(fixtures / "exotic-types") as reader:
        (db,) = reader.databases()
    assert (db.name, db.version) == ("Exotic", 20)
    assert [s.name for s in db.object_stores] == ["things", "auto", "keys"]  # "gone" was dropped in v2
    auto = db.store("auto")
    assert (auto.key_path, auto.auto_increment) == ("id", True)
    assert [(i.name, i.key_path, i.multi_entry, i.unique) for i in auto.indexes] == [
        ("tags", "tags", True, False),
        ("[a+b]", ["a", "b"], False, False),
    ]
    assert db.store("keys").key_path is None
    assert db.store("things").key_path == "id"


def test_rows_in_key_order_with_update_and_delete_applied(things: Rows) -> None:
    assert list(things) == sorted(things)  # ASCII ids: code unit order = str order
    assert "to-delete" not in things
    assert things["to-update"] == {"id": "to-update", "v": 2}


def test_dates(things: Rows) -> None:
    row = things["dates"]
    assert row["d"] == JsDate(1740787500000.0)
    assert row["dNeg"] == JsDate(-1.0)
    assert isinstance(row["dNaN"], JsDate) and math.isnan(row["dNaN"].ms)
    assert to_json_compatible(row) == {
        "id": "dates",
        "d": "2025-03-01T00:05:00.000Z",
        "dNeg": "1969-12-31T23:59:59.999Z",
        "dNaN": None,
    }


def test_special_numbers_and_bigint(things: Rows) -> None:
    row = things["special"]
    assert row["u"] is UNDEFINED and row["n"] is None
    assert row["nz"] == 0 and math.copysign(1, row["nz"]) == -1
    assert math.isnan(row["nan"])
    assert (row["inf"], row["ninf"], row["t"], row["f"]) == (math.inf, -math.inf, True, False)
    assert row["big"] == 12345678901234567890 and isinstance(row["big"], JsBigInt)
    assert row["bneg"] == -5 and isinstance(row["bneg"], JsBigInt)
    assert [type(row[k]) for k in ("i30", "i31")] == [int, int]
    assert (row["i30"], row["i31"], row["dbl"]) == (1073741823, 2147483647, 0.1)
    with pytest.raises(JsonConversionError, match=r"BigInt .* at \.big"):
        to_json_compatible(row)
    without_bigints = {k: v for k, v in row.items() if k not in ("big", "bneg")}
    assert to_json_compatible(without_bigints) == {
        "id": "special",
        "n": None,
        "nz": 0,
        "nan": None,
        "inf": None,
        "ninf": None,
        "t": True,
        "f": False,
        "i30": 1073741823,
        "i31": 2147483647,
        "dbl": 0.1,
    }


def test_collections(things: Rows) -> None:
    row = things["collections"]
    assert row["m"] == JsMap([("k", 1), (2, "two"), ({"o": 1}, [1])])
    assert row["st"] == JsSet(["a", 1, None])
    assert row["nested"] == JsMap([("inner", JsSet([1, 2]))])
    assert to_json_compatible(row) == {"id": "collections", "m": {}, "st": {}, "nested": {}}


def test_binary(things: Rows) -> None:
    row = things["binary"]
    ab = row["ab"]
    assert ab == bytes([1, 2, 3, 250])
    views = {k: v for k, v in row.items() if isinstance(v, JsArrayBufferView)}
    assert {k: (v.kind, v.elements() if v.kind != "DataView" else v.data) for k, v in views.items()} == {
        "u8": ("Uint8Array", [1, 2, 3]),
        "f64": ("Float64Array", [1.5, -2]),
        "dv": ("DataView", bytes([2, 3])),
        "u8sub": ("Uint8Array", [3, 250]),
        "i16": ("Int16Array", [-1, 2]),
    }
    assert views["dv"].buffer is ab and views["u8sub"].buffer is ab  # one shared ArrayBuffer
    assert to_json_compatible(row) == {
        "id": "binary",
        "u8": {"0": 1, "1": 2, "2": 3},
        "f64": {"0": 1.5, "1": -2},
        "dv": {},
        "ab": {},
        "u8sub": {"0": 3, "1": 250},
        "i16": {"0": -1, "1": 2},
    }


def test_arrays_and_references(things: Rows) -> None:
    row = things["arrays"]
    assert row["holes"] == [1, None, 3, None, None]
    sparse = row["sparse"]
    assert isinstance(sparse, list) and len(sparse) == 1001
    assert (sparse[0], sparse[1000], sparse[1:1000].count(None)) == ("a", "b", 999)
    with_props = row["withProps"]
    assert isinstance(with_props, JsArray)
    assert with_props.properties == {"extra": "x"}
    assert with_props == [1, 2]
    assert row["shared1"] is row["shared2"] and row["shared1"] == {"s": "shared"}
    circ = row["circ"]
    assert isinstance(circ, dict) and circ["self"] is circ and circ["name"] == "circ"
    with pytest.raises(JsonConversionError, match=r"circular structure at \.circ\.self"):
        to_json_compatible(row)
    del circ["self"]
    converted = to_json_compatible(row)
    assert isinstance(converted, dict) and converted["withProps"] == [1, 2]
    assert converted["shared2"] == {"s": "shared"}


def test_wrappers_regexp_error(things: Rows) -> None:
    row = things["wrappers"]
    assert (row["bo"], row["no"], row["so"]) == (JsBoxed(False), JsBoxed(42), JsBoxed("str"))
    assert row["re"] == JsRegExp("ab+c", "gi")
    err = row["err"]
    assert isinstance(err, JsError)
    assert (err.name, err.message, err.cause) == ("TypeError", "bad thing", "why")
    assert err.stack is not None and err.stack.startswith("TypeError: bad thing")
    assert to_json_compatible(row) == {
        "id": "wrappers",
        "bo": False,
        "no": 42,
        "so": "str",
        "re": {},
        "err": {},
    }


def test_strings(things: Rows) -> None:
    expected = {"latin": "caf\u00e9", "two": "\u4e2d\u6587", "emoji": "\U0001f600", "lone": "x\udc00y"}
    expected |= {"nul": "a\0b", "empty": "", "id": "strings"}
    assert things["strings"] == expected
    assert to_json_compatible(things["strings"]) == expected


def test_blob_and_file(things: Rows) -> None:
    blob, file = things["blob"]["blob"], things["blob"]["file"]
    assert isinstance(blob, JsBlob) and not isinstance(blob, JsFile)
    assert (blob.mime_type, blob.size, blob.read_bytes()) == ("text/plain", 10, b"hello blob")
    assert isinstance(file, JsFile)
    assert (file.name, file.mime_type, file.size, file.last_modified) == (
        "note.txt",
        "text/plain",
        9,
        1700000000000,
    )
    assert file.read_bytes() == b"file body"
    assert to_json_compatible(things["blob"]) == {"id": "blob", "blob": {}, "file": {}}


def test_auto_increment_keys_are_injected(fixtures: Path) -> None:
    with IndexedDBReader.for_origin(fixtures / "exotic-types") as reader:
        rows = list(reader.iter_records("Exotic", "auto"))
    assert rows == [
        (1, {"tags": ["x", "y"], "a": 1, "b": "q", "id": 1}),
        (2, {"tags": [], "a": 2, "b": "r", "id": 2}),
        (3, {"tags": ["x"], "a": 1, "b": "s", "id": 3}),
    ]


def test_every_key_type_in_indexeddb_order(fixtures: Path) -> None:
    with IndexedDBReader.for_origin(fixtures / "exotic-types") as reader:
        rows = list(reader.iter_records("Exotic", "keys"))
    assert rows == [
        (-1.5, {"k": "negative"}),
        (42, {"k": "number"}),
        (JsDate(1704067200000.0), {"k": "date"}),
        ("", {"k": "empty-string"}),
        ("\u4e2d\U0001f600", {"k": "string-unicode"}),
        (bytes([0, 1, 255]), {"k": "binary"}),
        (["a", 1, [2]], {"k": "array"}),
    ]


def test_local_storage_encodings_and_semantics(fixtures: Path) -> None:
    with LocalStorageReader(fixtures / "exotic-types" / "Local Storage" / "leveldb") as reader:
        assert reader.origins() == ["file://"]
        assert dict(reader.items("file://")) == {
            "latin": "caf\u00e9",
            "ascii": "plain",
            "cjk": "\u4e2d\u6587",
            "emoji-key-\U0001f600": "v",
            "lone": "a\ud800b",
            "empty": "",
            "over": "two",
        }
        assert reader.get("file://", "removed") is None
        assert reader.get("file://", "over") == "two"
        assert reader.get("file://", "emoji-key-\U0001f600") == "v"
        assert reader.get("file:///", "lone") == "a\ud800b"
        assert reader.get("https://example.com", "over") is None
        assert reader.issues == []


def test_missing_user_blob_file_is_reported_not_fatal(profile_copy) -> None:
    root = profile_copy("exotic-types")
    (root / "IndexedDB" / "file__0.indexeddb.blob" / "1" / "00" / "2").unlink()
    with IndexedDBReader.for_origin(root) as reader:
        rows: Rows = dict(reader.iter_records("Exotic", "things"))
        list(reader.iter_records("Exotic", "things"))
        (issue,) = reader.issues
    assert "file of blob 2 (text/plain) is missing" in issue.message and "'blob'" in issue.where
    with pytest.raises(FileNotFoundError):
        rows["blob"]["blob"].read_bytes()
    assert rows["blob"]["file"].read_bytes() == b"file body"
