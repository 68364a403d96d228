"""IndexedDB layer on synthetic LevelDB folders: merge order, decode errors, undo logs, memory."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import pytest

from cherry_migrate.sources.chromium import ChromiumDecodeError, IndexedDBReader
from cherry_migrate.sources.chromium.binary import encode_varint
from cherry_migrate.sources.chromium.idb_keys import encode_prefix

from .idb_writer import BLINK_21_V8_16, data_key, metadata, v8_value
from .leveldb_writer import TableSpec, write_batch, write_leveldb

IDB = "idb_cmp1"
STORES = {1: ("rows", "id", False), 2: ("auto", "meta.id", True)}


def row_key(key: object) -> bytes:
    return data_key(1, 1, key)


def make_db(
    folder: Path, rows: list[tuple[object, bytes | None]], tables: dict[int, TableSpec] | None = None
) -> Path:
    batches = [write_batch(1, metadata(1, "DB", STORES))]
    batches += [write_batch(100 + i, [(row_key(key), value)]) for i, (key, value) in enumerate(rows)]
    return write_leveldb(folder, comparator=IDB, logs={3: batches}, tables=tables)


def test_records_merge_tables_and_log_in_indexeddb_key_order(tmp_path: Path) -> None:
    # idb order: numbers (by value) < strings (by UTF-16 code units) < arrays
    old_table = TableSpec(
        [
            (row_key(3), 10, v8_value({"id": 3, "v": "table"})),
            (row_key(10), 11, v8_value({"id": 10, "v": "old"})),
            (row_key("a"), 12, v8_value({"id": "a"})),
            (row_key("b"), 13, v8_value({"id": "b", "v": "old"})),
            (row_key(["x"]), 14, v8_value({"id": ["x"]})),
        ],
        snappy=True,
        block_entries=2,
    )
    new_table = TableSpec([(row_key(10), 20, v8_value({"id": 10, "v": "new"})), (row_key("a"), 21, None)])
    rows: list[tuple[object, bytes | None]] = [
        (5, v8_value({"id": 5})),
        ("b", v8_value({"id": "b", "v": "log"})),
        (["x"], None),
        ("\uff5e", v8_value({"id": "\uff5e"})),  # U+FF5E sorts after U+1F600 in code unit order
        ("\U0001f600", v8_value({"id": "\U0001f600"})),
    ]
    folder = make_db(tmp_path / "db", rows, {5: old_table, 6: new_table})
    with IndexedDBReader(folder) as reader:
        records = list(reader.iter_records("DB", "rows"))
        assert reader.count("DB", "rows") == len(records)
        assert reader.issues == []
    assert records == [
        (3, {"id": 3, "v": "table"}),
        (5, {"id": 5}),
        (10, {"id": 10, "v": "new"}),
        ("b", {"id": "b", "v": "log"}),
        ("\U0001f600", {"id": "\U0001f600"}),
        ("\uff5e", {"id": "\uff5e"}),
    ]


def test_undecodable_record_names_file_and_key_and_can_be_skipped(tmp_path: Path) -> None:
    bad = encode_varint(1) + BLINK_21_V8_16 + b'o"\x01xG'  # 'G' is no V8 tag
    folder = make_db(
        tmp_path / "db", [("a", v8_value({"id": "a"})), ("b", bad), ("c", v8_value({"id": "c"}))]
    )
    with IndexedDBReader(folder) as reader:
        with pytest.raises(ChromiumDecodeError) as raised:
            list(reader.iter_records("DB", "rows"))
        assert raised.value.file == str(folder) and raised.value.key == "db 1 store 1: 'b'"
        assert "unknown V8 tag 0x47" in str(raised.value)
        errors: list[ChromiumDecodeError] = []
        keys = [key for key, _ in reader.iter_records("DB", "rows", on_error=errors.append)]
    assert keys == ["a", "c"] and len(errors) == 1


def test_auto_increment_key_is_injected_at_a_dotted_path(tmp_path: Path) -> None:
    batches = [
        write_batch(1, metadata(1, "DB", STORES)),
        write_batch(
            50, [(data_key(1, 2, 1), v8_value({"v": 1})), (data_key(1, 2, 2), v8_value({"meta": {"id": 7}}))]
        ),
    ]
    folder = write_leveldb(tmp_path / "db", comparator=IDB, logs={3: batches})
    with IndexedDBReader(folder) as reader:
        assert list(reader.iter_records("DB", "auto")) == [
            (1, {"v": 1, "meta": {"id": 1}}),
            (2, {"meta": {"id": 7}}),
        ]


def _message(*fields: tuple[int, bytes]) -> bytes:
    return b"".join(
        encode_varint(number << 3 | 2) + encode_varint(len(body)) + body for number, body in fields
    )


def _scope_entries(scope: int, locked: bool, tasks: list[bytes]) -> list[tuple[bytes, bytes | None]]:
    scopes = encode_prefix(0, 0, 0) + b"\x32"
    lock = _message((2, _message((1, b"a"), (2, b"b"))))
    entries: list[tuple[bytes, bytes | None]] = [
        (scopes + b"\x01" + encode_varint(scope), _message((1, lock)) if locked else b"")
    ]
    for i, task in enumerate(tasks):
        sequence = struct.pack(">Q", 0x7FFFFFFFFFFFFFFF - i)  # undo sequence numbers count down
        entries.append((scopes + b"\x02" + encode_varint(scope) + b"\x00" + sequence, task))
    return entries


def test_uncommitted_transaction_is_rolled_back(tmp_path: Path) -> None:
    put = lambda key, value: _message((1, _message((1, key), (2, value))))  # noqa: E731
    delete = lambda key: _message((2, _message((1, key))))  # noqa: E731
    delete_range = lambda begin, end: _message((3, _message((1, begin), (2, end))))  # noqa: E731
    original = v8_value({"id": "old", "v": "original"})
    batches = [
        write_batch(1, metadata(1, "DB", STORES)),
        write_batch(20, [(row_key("old"), original), (row_key("kept"), v8_value({"id": "kept"}))]),
        # committed scope 1: empty metadata, its leftover undo task must be ignored
        write_batch(30, _scope_entries(1, False, [delete(row_key("kept"))])),
        # scope 2 never committed: it changed "old", added "new" and "n1".."n3"
        write_batch(
            40,
            [
                (row_key("old"), v8_value({"id": "old", "v": "changed"})),
                (row_key("new"), v8_value({"id": "new"})),
                *[(row_key(f"n{i}"), v8_value({"id": f"n{i}"})) for i in range(1, 4)],
                *_scope_entries(
                    2,
                    True,
                    [
                        delete_range(row_key("n1"), row_key("n3")),
                        delete(row_key("new")),
                        put(row_key("old"), original),
                    ],
                ),
            ],
        ),
    ]
    folder = write_leveldb(tmp_path / "db", comparator=IDB, logs={3: batches})
    with IndexedDBReader(folder) as reader:
        records = list(reader.iter_records("DB", "rows"))
        assert any("uncommitted transaction" in issue.message for issue in reader.issues)
    assert records == [
        ("kept", {"id": "kept"}),
        ("n3", {"id": "n3"}),
        ("old", {"id": "old", "v": "original"}),
    ]


def _peak_while_reading(folder: Path) -> int:
    with IndexedDBReader(folder) as reader:
        tracemalloc.start()
        try:
            total = sum(1 for _ in reader.iter_records("DB", "rows"))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert total > 0
    return peak


def test_memory_does_not_grow_with_the_number_of_records(tmp_path: Path) -> None:
    """Level-1 tables of 1000 rows each (real tables are capped at about 2 MB), one level-0 table
    and a log: the peak while streaming stays flat from 4k to 16k rows."""

    def build(name: str, count: int) -> Path:
        keys = sorted(f"row-{i:06d}" for i in range(count))
        value = lambda k: v8_value({"id": k, "text": "x" * 200})  # noqa: E731
        tables = {
            10 + n: TableSpec([(row_key(k), 1, value(k)) for k in keys[start : start + 1000]], level=1)
            for n, start in enumerate(range(0, count, 1000))
        }
        tables[5] = TableSpec([(row_key(k), 2, value(k)) for k in keys[:: count // 100]], level=0)
        return make_db(tmp_path / name, [(k, v8_value({"id": k})) for k in keys[:: count // 20]], tables)

    small, large = _peak_while_reading(build("small", 4000)), _peak_while_reading(build("large", 16000))
    assert large < small * 1.3 + 20_000, (small, large)
