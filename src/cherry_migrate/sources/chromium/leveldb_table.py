"""LevelDB sorted table files (``.ldb``, older ``.sst``).

Layout: data blocks, a filter block (ignored), a metaindex block (ignored), an index block with
one entry per data block (key >= every key of that block, value = the block's handle), and a
48-byte footer pointing at the index. Every block carries a 5-byte trailer: compression type and a
masked CRC32C.

Damage policy: a bad footer or index block makes the whole table unreadable, which would let
older, overwritten versions of keys come back; that raises :class:`ChromiumCorruptionError`
naming the file. A data block with a bad checksum or undecodable content is skipped and reported
as a :class:`ReadIssue`: only the keys in that block are lost, and the report says so.

Reading a key range touches only the blocks that can hold it: the index block is scanned with a
caller-supplied ``position`` function (is this key before, inside or after the range?), so no
comparator implementation is needed and at most one data block is in memory at a time.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .binary import read_varint
from .crc32c import masked_crc32c
from .errors import ChromiumCorruptionError, ChromiumDecodeError, ReadIssue
from .snappy import decompress

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
COMPRESSION_NONE, COMPRESSION_SNAPPY = 0, 1

Position = Callable[[bytes], int]
"""Maps a user key to -1 (before the wanted range), 0 (inside) or 1 (after it)."""


def iter_block(block: bytes) -> Iterator[tuple[bytes, memoryview]]:
    """Yield (key, value) of a block's entries in stored order (prefix-compressed keys)."""
    if len(block) < 4:
        raise ChromiumDecodeError("block shorter than its restart count")
    (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * num_restarts
    if limit < 0:
        raise ChromiumDecodeError("restart array larger than the block")
    view = memoryview(block)
    key = b""
    pos = 0
    while pos < limit:
        shared = block[pos]
        if shared < 0x80:
            pos += 1
        else:
            shared, pos = read_varint(block, pos)
        non_shared = block[pos]
        if non_shared < 0x80:
            pos += 1
        else:
            non_shared, pos = read_varint(block, pos)
        value_len = block[pos]
        if value_len < 0x80:
            pos += 1
        else:
            value_len, pos = read_varint(block, pos)
        if shared > len(key) or pos + non_shared + value_len > limit:
            raise ChromiumDecodeError("block entry runs past the end")
        key = key[:shared] + block[pos : pos + non_shared]
        pos += non_shared
        yield key, view[pos : pos + value_len]
        pos += value_len


def _read_handle(data: bytes | memoryview, pos: int) -> tuple[int, int, int]:
    offset, pos = read_varint(data, pos)
    size, pos = read_varint(data, pos)
    return offset, size, pos


class Table:
    """One open table file; keeps only its index block (one entry per data block) in memory."""

    def __init__(self, f: BinaryIO, where: str, issues: list[ReadIssue]) -> None:
        self._f = f
        self.where = where
        self._issues = issues
        f.seek(0, 2)
        self.size = f.tell()
        if self.size < FOOTER_SIZE:
            raise ChromiumCorruptionError("table file shorter than its footer", where)
        f.seek(self.size - FOOTER_SIZE)
        footer = f.read(FOOTER_SIZE)
        (magic,) = struct.unpack_from("<Q", footer, 40)
        if magic != TABLE_MAGIC:
            raise ChromiumCorruptionError("not a LevelDB table (bad magic number)", where)
        try:
            _, _, pos = _read_handle(footer, 0)  # metaindex: only names the Bloom filter
            index_offset, index_size, _ = _read_handle(footer, pos)
            self._index = self._read_block(index_offset, index_size)
            for _, handle in iter_block(self._index):  # parse once up front to validate
                _read_handle(handle, 0)
        except ChromiumDecodeError as exc:
            raise ChromiumCorruptionError(f"unreadable table index: {exc}", where) from None

    def _read_block(self, offset: int, size: int) -> bytes:
        if offset + size + BLOCK_TRAILER_SIZE > self.size:
            raise ChromiumDecodeError(f"block at {offset} runs past the end of the file")
        self._f.seek(offset)
        raw = self._f.read(size + BLOCK_TRAILER_SIZE)
        kind = raw[size]
        (stored_crc,) = struct.unpack_from("<I", raw, size + 1)
        if masked_crc32c(memoryview(raw)[: size + 1]) != stored_crc:
            raise ChromiumDecodeError(f"checksum mismatch in block at {offset}")
        if kind == COMPRESSION_NONE:
            return raw[:size]
        if kind == COMPRESSION_SNAPPY:
            return decompress(memoryview(raw)[:size])
        raise ChromiumCorruptionError(f"block at {offset} uses unknown compression type {kind}", self.where)

    def iter_range(self, position: Position, prefix: bytes) -> Iterator[tuple[bytes, int, int, memoryview]]:
        """Yield (user key, sequence, kind, value) of the internal keys inside a key range.

        ``prefix`` is a byte prefix every key inside the range has (a cheap first test);
        ``position`` decides for the other keys whether they lie before or after the range.
        """
        for separator, handle in iter_block(self._index):
            if safe_position(position, separator[:-8]) < 0:
                continue  # every key of this block is <= separator < range
            offset, size, _ = _read_handle(handle, 0)
            try:
                block = self._read_block(offset, size)
                entries = list(iter_block(block))
                if any(len(key) < 8 for key, _ in entries):
                    raise ChromiumDecodeError("internal key shorter than its 8-byte trailer")
            except ChromiumDecodeError as exc:
                issue = ReadIssue(
                    f"{self.where}@{offset}", f"data block skipped, its keys are missing: {exc}"
                )
                if issue not in self._issues:  # the same range may be read more than once
                    self._issues.append(issue)
                continue
            for key, value in entries:
                user_key = key[:-8]
                if not user_key.startswith(prefix):
                    where = position(user_key)
                    if where < 0:
                        continue
                    if where > 0:
                        return
                (trailer,) = struct.unpack_from("<Q", key, len(key) - 8)
                yield user_key, trailer >> 8, trailer & 0xFF, value


def safe_position(position: Position, key: bytes) -> int:
    """Position of a boundary key; one that cannot be classified counts as inside the range."""
    try:
        return position(key)
    except ChromiumDecodeError:
        return 0
