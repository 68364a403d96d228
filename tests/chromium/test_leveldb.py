"""LevelDB layer on synthetic folders: newest-wins, tombstones, tables, logs, damage."""

from __future__ import annotations

import struct
from pathlib import Path

import cramjam
import pytest

from cherry_migrate.sources.chromium import ChromiumCorruptionError, ChromiumDecodeError
from cherry_migrate.sources.chromium.crc32c import crc32c, mask, masked_crc32c
from cherry_migrate.sources.chromium.leveldb import LevelDB, bytewise_range
from cherry_migrate.sources.chromium.snappy import decompress

from .leveldb_writer import TableSpec, log_file, table_file, write_batch, write_leveldb

EVERYTHING = bytewise_range(b"")


def live(folder: Path) -> dict[bytes, bytes]:
    with LevelDB(folder) as db:
        return dict(db.iter_range(EVERYTHING))


def test_crc32c_and_masking() -> None:
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    data = bytes(range(256)) * 5
    assert crc32c(data[100:], crc32c(data[:100])) == crc32c(data)
    # first record of a real localStorage log (fact sheet 2.1): masked CRC 9a 1b dc 35
    record = b"\x01" + struct.pack("<QI", 1, 1) + b"\x01\x07VERSION\x011"
    assert mask(crc32c(record)) == 0x35DC1B9A
    for size in (0, 1, 7, 4096, 32768, 65536, 65537, 100_000):  # native path up to 64 KiB, then Python
        data = bytes((i * 7 + size) % 251 for i in range(size))
        assert masked_crc32c(data) == mask(crc32c(data))
        assert masked_crc32c(memoryview(data)) == mask(crc32c(data))


def test_snappy_literals_and_overlapping_copies() -> None:
    # 10 bytes: literal "abcd", then copy 6 bytes from offset 4 (overlaps its own output)
    assert decompress(bytes([10, 0x0C]) + b"abcd" + bytes([0x09, 0x04])) == b"abcdabcdab"
    # two-byte-offset copy: length 3, offset 2
    assert decompress(bytes([5, 0x04]) + b"xy" + bytes([0x0A, 0x02, 0x00])) == b"xyxyx"
    text = b"Hello world, this repeats. " * 1000
    assert decompress(bytes(cramjam.snappy.compress_raw(text))) == text
    with pytest.raises(ChromiumDecodeError):
        decompress(bytes([10, 0x0C]) + b"ab")
    with pytest.raises(ChromiumDecodeError):  # output length differs from the header
        decompress(bytes([11, 0x0C]) + b"abcd" + bytes([0x09, 0x04]))


def test_newest_put_wins_and_deletions_hide_keys_in_one_log(tmp_path: Path) -> None:
    folder = write_leveldb(
        tmp_path / "db",
        logs={
            3: [
                write_batch(1, [(b"k", b"one"), (b"gone", b"x")]),
                write_batch(3, [(b"k", b"two")]),
                write_batch(4, [(b"gone", None), (b"other", b"o")]),
                write_batch(6, [(b"back", b"1"), (b"back", None)]),
                write_batch(8, [(b"again", None), (b"again", b"yes")]),
            ]
        },
    )
    assert live(folder) == {b"again": b"yes", b"k": b"two", b"other": b"o"}


def test_tables_and_logs_merge_by_sequence_number(tmp_path: Path) -> None:
    older = TableSpec([(b"a", 1, b"a-old"), (b"b", 2, b"b-table"), (b"c", 3, b"c-old"), (b"d", 4, b"d")])
    newer = TableSpec([(b"c", 10, None), (b"e", 11, b"e"), (b"f", 12, b"f-table")], snappy=True)
    folder = write_leveldb(
        tmp_path / "db",
        log_number=7,
        tables={5: older, 6: newer},
        logs={
            4: [write_batch(30, [(b"zombie", b"from an obsolete log")])],
            7: [write_batch(20, [(b"a", b"a-new"), (b"d", None)]), write_batch(22, [(b"f", b"f-log")])],
        },
    )
    (folder / "000009.ldb").write_bytes(table_file([(b"b", 99, b"not in the manifest")]))
    assert live(folder) == {b"a": b"a-new", b"b": b"b-table", b"e": b"e", b"f": b"f-log"}
    with LevelDB(folder) as db:
        assert list(db.iter_range(bytewise_range(b"b"))) == [(b"b", b"b-table")]
        assert [k for k, _ in db.iter_range(EVERYTHING, values=False)] == [b"a", b"b", b"e", b"f"]
        assert db.issues == []


def test_deeper_levels_are_read_as_one_ordered_run(tmp_path: Path) -> None:
    """Disjoint level-1 tables whose file numbers do not follow key order; only overlapping ones
    are opened."""
    high = TableSpec([(b"p:3", 3, b"3"), (b"p:4", 4, b"4"), (b"q:1", 5, b"q")], level=1)
    low = TableSpec([(b"a:1", 6, b"a"), (b"p:1", 1, b"1"), (b"p:2", 2, b"old")], level=1)
    other = TableSpec([(b"z:1", 9, b"z")], level=1)
    level0 = TableSpec([(b"p:2", 8, b"new"), (b"p:5", 7, None)], level=0)
    folder = write_leveldb(tmp_path / "db", tables={7: high, 8: low, 9: other, 10: level0})
    with LevelDB(folder) as db:
        runs = db._table_runs(bytewise_range(b"p:"))
        got = list(db.iter_range(bytewise_range(b"p:")))
    assert [[t.path.name for t in run] for run in runs] == [["000010.ldb"], ["000008.ldb", "000007.ldb"]]
    assert got == [(b"p:1", b"1"), (b"p:2", b"new"), (b"p:3", b"3"), (b"p:4", b"4")]


def test_many_blocks_prefix_compression_and_range_scan(tmp_path: Path) -> None:
    keys = [f"_origin{i % 3}\0key{i:05d}".encode() for i in range(600)]
    entries = sorted((k, i + 1, k[::-1]) for i, k in enumerate(keys))
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec(entries, block_entries=16, snappy=True)})
    with LevelDB(folder) as db:
        got = list(db.iter_range(bytewise_range(b"_origin1\0")))
    assert got == [(k, k[::-1]) for k, _, _ in entries if k.startswith(b"_origin1\0")]
    assert len(got) == 200


def test_large_value_fragmented_across_log_blocks(tmp_path: Path) -> None:
    big = bytes(range(256)) * 600  # 150 KB: FIRST, MIDDLE..., LAST fragments
    folder = write_leveldb(
        tmp_path / "db", logs={3: [write_batch(1, [(b"small", b"s")]), write_batch(2, [(b"big", big)])]}
    )
    assert live(folder) == {b"big": big, b"small": b"s"}


def test_missing_current_falls_back_to_every_file(tmp_path: Path) -> None:
    folder = write_leveldb(tmp_path / "db", logs={3: [write_batch(1, [(b"k", b"v")])]})
    (folder / "CURRENT").unlink()
    with LevelDB(folder) as db:
        assert dict(db.iter_range(EVERYTHING)) == {b"k": b"v"}
        assert any("no usable CURRENT" in str(issue) for issue in db.issues)


def test_listed_table_missing_is_an_error(tmp_path: Path) -> None:
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec([(b"a", 1, b"x")])})
    (folder / "000005.ldb").unlink()
    with pytest.raises(ChromiumCorruptionError, match=r"000005\.ldb is missing"):
        LevelDB(folder)


def test_table_vanishing_after_open_is_an_error(tmp_path: Path) -> None:
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec([(b"a", 1, b"x")])})
    with LevelDB(folder) as db:
        (folder / "000005.ldb").unlink()
        with pytest.raises(ChromiumCorruptionError, match="vanished after the folder was opened"):
            list(db.iter_range(EVERYTHING))


def test_truncated_log_keeps_every_complete_batch(tmp_path: Path) -> None:
    batches = [write_batch(i + 1, [(f"k{i:03d}".encode(), b"v" * 500)]) for i in range(100)]
    folder = write_leveldb(tmp_path / "db", logs={3: batches})
    log = folder / "000003.log"
    content = log.read_bytes()
    log.write_bytes(content[:-300])  # the last batch is torn
    with LevelDB(folder) as db:
        keys = [k for k, _ in db.iter_range(EVERYTHING)]
        assert keys == [f"k{i:03d}".encode() for i in range(99)]
        (issue,) = db.issues
    assert "000003.log" in issue.where and "log ends inside a record" in issue.message


def test_truncated_fixture_log(profile_copy) -> None:
    from cherry_migrate.sources.chromium import IndexedDBReader

    root = profile_copy("exotic-types")
    log = root / "IndexedDB" / "file__0.indexeddb.leveldb" / "000003.log"
    log.write_bytes(log.read_bytes()[:-1000])
    with IndexedDBReader.for_origin(root) as reader:
        assert len(list(reader.iter_records("Exotic", "things"))) >= 1
        assert any("log ends inside a record" in issue.message for issue in reader.issues)


def test_bad_log_checksum_skips_the_rest_of_that_block(tmp_path: Path) -> None:
    batches = [write_batch(i + 1, [(f"k{i:03d}".encode(), b"v" * 1000)]) for i in range(70)]
    folder = write_leveldb(tmp_path / "db", logs={3: batches})
    log = folder / "000003.log"
    content = bytearray(log.read_bytes())
    record_size = len(log_file([batches[0]]))
    content[5 * record_size + 20] ^= 0xFF  # inside the 6th record, first block
    log.write_bytes(bytes(content))
    with LevelDB(folder) as db:
        keys = {k for k, _ in db.iter_range(EVERYTHING)}
        issues = list(db.issues)
    first_block = 32768 // record_size  # records wholly inside block 0
    assert {f"k{i:03d}".encode() for i in range(5)} <= keys
    assert not keys & {f"k{i:03d}".encode() for i in range(5, first_block)}
    assert f"k{69:03d}".encode() in keys  # later blocks are read again
    assert any("checksum mismatch" in issue.message and "000003.log@" in issue.where for issue in issues)


def test_bad_table_block_is_skipped_and_reported(tmp_path: Path) -> None:
    entries = [(f"k{i:03d}".encode(), i + 1, b"v") for i in range(40)]
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec(entries, block_entries=10)})
    table = folder / "000005.ldb"
    content = bytearray(table.read_bytes())
    content[3] ^= 0xFF  # first data block
    table.write_bytes(bytes(content))
    with LevelDB(folder) as db:
        keys = [k for k, _ in db.iter_range(EVERYTHING)]
        (issue,) = db.issues
    assert keys == [f"k{i:03d}".encode() for i in range(10, 40)]
    assert issue.where == f"{table}@0" and "its keys are missing" in issue.message


def test_bad_table_index_or_footer_fails_naming_the_file(tmp_path: Path) -> None:
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec([(b"a", 1, b"x")])})
    table = folder / "000005.ldb"
    content = bytearray(table.read_bytes())
    content[-49] ^= 0xFF  # last byte of the index block trailer
    table.write_bytes(bytes(content))
    with (
        LevelDB(folder) as db,
        pytest.raises(ChromiumCorruptionError, match=r"000005\.ldb.*unreadable table index"),
    ):
        list(db.iter_range(EVERYTHING))
    table.write_bytes(bytes(content[:-1]))
    with LevelDB(folder) as db, pytest.raises(ChromiumCorruptionError, match=r"000005\.ldb.*bad magic"):
        list(db.iter_range(EVERYTHING))


def test_unknown_block_compression_fails_loudly(tmp_path: Path) -> None:
    folder = write_leveldb(tmp_path / "db", tables={5: TableSpec([(b"a", 1, b"x")])})
    table = folder / "000005.ldb"
    content = bytearray(table.read_bytes())
    size = content.index(b"\0\0\0\0\x01\0\0\0") + 8  # first data block: one entry, one restart
    content[size] = 2  # zstd, which Chromium does not use
    crc = mask(crc32c(bytes(content[: size + 1])))
    content[size + 1 : size + 5] = struct.pack("<I", crc)
    table.write_bytes(bytes(content))
    with LevelDB(folder) as db, pytest.raises(ChromiumCorruptionError, match="unknown compression type 2"):
        list(db.iter_range(EVERYTHING))
