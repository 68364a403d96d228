"""Builds small LevelDB folders byte by byte (logs, tables, manifests) for the reader tests."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cramjam

from cherry_migrate.sources.chromium.binary import encode_varint
from cherry_migrate.sources.chromium.crc32c import crc32c, mask
from cherry_migrate.sources.chromium.leveldb_log import BLOCK_SIZE, FIRST, FULL, LAST, MIDDLE
from cherry_migrate.sources.chromium.leveldb_table import TABLE_MAGIC

Entry = tuple[bytes, bytes | None]  # key, value (None = delete)
TableEntry = tuple[bytes, int, bytes | None]  # user key, sequence, value (None = deletion)


@dataclass
class TableSpec:
    """A table to write: entries in comparator order, its level, block layout and compression."""

    entries: Sequence[TableEntry]
    level: int = 0
    snappy: bool = False
    block_entries: int = 8


def log_file(records: Iterable[bytes]) -> bytes:
    """Frame logical records into 32 KiB blocks (FULL or FIRST/MIDDLE.../LAST fragments)."""
    out = bytearray()
    for record in records:
        pos, first = 0, True
        while True:
            left = BLOCK_SIZE - len(out) % BLOCK_SIZE
            if left < 7:
                out += b"\0" * left
                left = BLOCK_SIZE
            chunk = record[pos : pos + left - 7]
            pos += len(chunk)
            last = pos >= len(record)
            kind = FULL if first and last else FIRST if first else LAST if last else MIDDLE
            out += struct.pack("<IHB", mask(crc32c(bytes((kind,)) + chunk)), len(chunk), kind) + chunk
            first = False
            if last:
                break
    return bytes(out)


def write_batch(sequence: int, entries: Sequence[Entry]) -> bytes:
    out = bytearray(struct.pack("<QI", sequence, len(entries)))
    for key, value in entries:
        if value is None:
            out += b"\x00" + encode_varint(len(key)) + key
        else:
            out += b"\x01" + encode_varint(len(key)) + key + encode_varint(len(value)) + value
    return bytes(out)


def internal_key(key: bytes, sequence: int, deleted: bool = False) -> bytes:
    return key + struct.pack("<Q", (sequence << 8) | (0 if deleted else 1))


def _block(entries: Sequence[tuple[bytes, bytes]], restart_interval: int = 4) -> bytes:
    out, restarts, previous = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        if i % restart_interval == 0:
            restarts.append(len(out))
            shared = 0
        else:
            shared = 0
            while shared < min(len(key), len(previous)) and key[shared] == previous[shared]:
                shared += 1
        out += encode_varint(shared) + encode_varint(len(key) - shared) + encode_varint(len(value))
        out += key[shared:] + value
        previous = key
    restarts = restarts or [0]
    out += struct.pack(f"<{len(restarts)}I", *restarts) + struct.pack("<I", len(restarts))
    return bytes(out)


def table_file(
    entries: Sequence[tuple[bytes, int, bytes | None]], block_entries: int = 8, snappy: bool = False
) -> bytes:
    """A table holding (user key, sequence, value or None for a deletion), already in order."""
    out = bytearray()
    index: list[tuple[bytes, bytes]] = []

    def emit(block: bytes, compress: bool) -> bytes:
        kind = 0
        if compress:
            block, kind = bytes(cramjam.snappy.compress_raw(block)), 1
        handle = encode_varint(len(out)) + encode_varint(len(block))
        out.extend(block + bytes((kind,)) + struct.pack("<I", mask(crc32c(block + bytes((kind,))))))
        return handle

    for start in range(0, len(entries), block_entries):
        chunk = [
            (internal_key(k, s, v is None), v or b"") for k, s, v in entries[start : start + block_entries]
        ]
        index.append((chunk[-1][0], emit(_block(chunk), snappy)))
    metaindex = emit(_block([]), False)
    index_handle = emit(_block(index, restart_interval=1), False)
    footer = (metaindex + index_handle).ljust(40, b"\0") + struct.pack("<Q", TABLE_MAGIC)
    return bytes(out + footer)


def manifest_file(comparator: str, log_number: int, tables: Sequence[tuple[int, int, bytes, bytes]]) -> bytes:
    """Manifest with one edit: comparator, log number and new files (number, level, smallest and
    largest internal key)."""
    edit = bytearray(b"\x01" + encode_varint(len(comparator)) + comparator.encode())
    edit += b"\x02" + encode_varint(log_number) + b"\x03" + encode_varint(100) + b"\x04" + encode_varint(0)
    for number, level, smallest, largest in tables:
        edit += b"\x07" + encode_varint(level) + encode_varint(number) + encode_varint(1000)
        edit += encode_varint(len(smallest)) + smallest + encode_varint(len(largest)) + largest
    return log_file([bytes(edit)])


def write_leveldb(
    folder: Path,
    *,
    comparator: str = "leveldb.BytewiseComparator",
    log_number: int = 0,
    logs: dict[int, Sequence[bytes]] | None = None,
    tables: dict[int, TableSpec] | None = None,
) -> Path:
    """Write a LevelDB folder: ``logs`` maps log numbers to their batches, ``tables`` numbers to
    tables (all listed as live in the manifest)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, batches in (logs or {}).items():
        (folder / f"{number:06d}.log").write_bytes(log_file(batches))
    live = []
    for number, spec in (tables or {}).items():
        (folder / f"{number:06d}.ldb").write_bytes(table_file(spec.entries, spec.block_entries, spec.snappy))
        (first, first_seq, first_value), (last, last_seq, last_value) = spec.entries[0], spec.entries[-1]
        smallest = internal_key(first, first_seq, first_value is None)
        live.append((number, spec.level, smallest, internal_key(last, last_seq, last_value is None)))
    (folder / "MANIFEST-000001").write_bytes(manifest_file(comparator, log_number, live))
    (folder / "CURRENT").write_bytes(b"MANIFEST-000001\n")
    return folder
