"""LevelDB log framing (``.log`` write-ahead logs and ``MANIFEST`` files) and WriteBatches.

A log is a run of 32 KiB blocks holding physical records ``crc u32 | length u16 | type u8 |
payload``; a logical record larger than a block is split into FIRST, MIDDLE..., LAST fragments.

Damage handling follows LevelDB's own recovery:

* a record whose checksum or length is wrong drops the rest of its 32 KiB block and any fragment
  chain in progress; reading resumes at the next block;
* a record cut off by the end of the file (a crash, or a copy taken while the app was writing)
  ends the read: everything before it is used, the torn tail is reported;
* every skipped piece is reported as a :class:`ReadIssue`.

The reader streams the file a block at a time; it never holds more than one logical record.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .binary import read_varint
from .crc32c import masked_crc32c
from .errors import ChromiumDecodeError, ReadIssue

BLOCK_SIZE = 32768
HEADER_SIZE = 7
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4
KIND_DELETE, KIND_PUT = 0, 1
_HEADER = struct.Struct("<IHB")


@dataclass(frozen=True)
class LogicalRecord:
    """One reassembled record and where its fragments' payloads sit in the file."""

    data: bytes
    fragments: tuple[tuple[int, int], ...]  # (file offset of payload, length), in order
    offset: int  # file offset of the first fragment's header

    def locate(self, start: int, length: int) -> tuple[tuple[int, int], ...]:
        """File ranges (offset, length) holding ``data[start:start + length]``."""
        out: list[tuple[int, int]] = []
        logical = 0
        end = start + length
        for file_offset, size in self.fragments:
            lo, hi = max(start, logical), min(end, logical + size)
            if lo < hi:
                out.append((file_offset + lo - logical, hi - lo))
            logical += size
            if logical >= end:
                break
        return tuple(out)


def iter_log_records(
    f: BinaryIO, where: str, issues: list[ReadIssue], size: int | None = None
) -> Iterator[LogicalRecord]:
    """Yield the complete, checksum-verified logical records of a log-framed file.

    ``size`` limits the read to the file length seen when the folder was opened, so that bytes
    appended later by a running app are not half-read.
    """
    if size is None:
        f.seek(0, 2)
        size = f.tell()
    pending: list[tuple[bytes, int]] = []
    pending_offset = 0
    base = 0
    while base < size:
        f.seek(base)
        block = f.read(min(BLOCK_SIZE, size - base))
        is_last_block = base + len(block) >= size
        pos = 0
        while True:
            remaining = len(block) - pos
            if remaining < HEADER_SIZE:
                if is_last_block and block[pos:].strip(b"\0"):
                    issues.append(
                        ReadIssue(f"{where}@{base + pos}", "torn record header at end of log ignored")
                    )
                    pending.clear()
                break
            crc, length, rtype = _HEADER.unpack_from(block, pos)
            if rtype == 0 and length == 0:
                break  # zero-filled (preallocated) rest of the block
            end = pos + HEADER_SIZE + length
            if end > len(block):
                if is_last_block:
                    issues.append(
                        ReadIssue(
                            f"{where}@{base + pos}",
                            f"log ends inside a record; the last {size - base - pos} bytes are ignored",
                        )
                    )
                    return
                issues.append(ReadIssue(f"{where}@{base + pos}", "bad record length; rest of block skipped"))
                pending.clear()
                break
            payload = block[pos + HEADER_SIZE : end]
            if masked_crc32c(bytes((rtype,)) + payload) != crc:
                issues.append(ReadIssue(f"{where}@{base + pos}", "checksum mismatch; rest of block skipped"))
                pending.clear()
                break
            payload_offset = base + pos + HEADER_SIZE
            if rtype == FULL:
                if pending:
                    issues.append(
                        ReadIssue(f"{where}@{pending_offset}", "unfinished fragmented record dropped")
                    )
                    pending.clear()
                yield LogicalRecord(payload, ((payload_offset, length),), base + pos)
            elif rtype == FIRST:
                if pending:
                    issues.append(
                        ReadIssue(f"{where}@{pending_offset}", "unfinished fragmented record dropped")
                    )
                pending = [(payload, payload_offset)]
                pending_offset = base + pos
            elif rtype in (MIDDLE, LAST):
                if not pending:
                    issues.append(
                        ReadIssue(f"{where}@{base + pos}", "record fragment without a start ignored")
                    )
                else:
                    pending.append((payload, payload_offset))
                    if rtype == LAST:
                        yield LogicalRecord(
                            b"".join(p for p, _ in pending),
                            tuple((off, len(p)) for p, off in pending),
                            pending_offset,
                        )
                        pending = []
            else:
                issues.append(ReadIssue(f"{where}@{base + pos}", f"unknown record type {rtype} ignored"))
                pending.clear()
            pos = end
        base += len(block)
    if pending:
        issues.append(
            ReadIssue(f"{where}@{pending_offset}", "log ends inside a fragmented record; it is ignored")
        )


@dataclass(frozen=True)
class BatchEntry:
    """One put or delete of a WriteBatch; the value is given as a range of the batch record."""

    kind: int
    key: bytes
    sequence: int
    value_start: int
    value_length: int


def parse_write_batch(data: bytes) -> list[BatchEntry]:
    """Split a WriteBatch (``seq u64 | count u32 | entries``) into its entries.

    Raises :class:`ChromiumDecodeError` if the batch is malformed; a batch is atomic, so the
    caller drops it whole.
    """
    if len(data) < 12:
        raise ChromiumDecodeError("write batch shorter than its header")
    sequence, count = struct.unpack_from("<QI", data, 0)
    entries: list[BatchEntry] = []
    pos = 12
    for i in range(count):
        if pos >= len(data):
            raise ChromiumDecodeError(f"write batch holds {i} entries, header says {count}")
        kind = data[pos]
        key_len, pos = read_varint(data, pos + 1)
        key = data[pos : pos + key_len]
        pos += key_len
        if kind == KIND_PUT:
            value_len, pos = read_varint(data, pos)
            entries.append(BatchEntry(KIND_PUT, key, sequence + i, pos, value_len))
            pos += value_len
        elif kind == KIND_DELETE:
            entries.append(BatchEntry(KIND_DELETE, key, sequence + i, pos, 0))
        else:
            raise ChromiumDecodeError(f"unknown write batch entry kind {kind}")
        if pos > len(data):
            raise ChromiumDecodeError("write batch entry runs past the end")
    if pos != len(data):
        raise ChromiumDecodeError(f"{len(data) - pos} stray bytes after the last write batch entry")
    return entries
