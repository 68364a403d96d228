"""Raw (unframed) Snappy decompression, as used by LevelDB table blocks and IndexedDB values.

cramjam's ``snappy.decompress_raw`` implements exactly the raw block format (varint length
header, literals and copies, no framing, no CRC) and checks the output against the header's
length, so it is used instead of a Python loop.
"""

from __future__ import annotations

import cramjam

from .binary import Buffer
from .errors import ChromiumDecodeError


def decompress(data: Buffer) -> bytes:
    """Decompress one raw Snappy block; raise :class:`ChromiumDecodeError` if it is malformed."""
    try:
        return bytes(cramjam.snappy.decompress_raw(bytes(data)))
    except cramjam.DecompressionError as exc:
        raise ChromiumDecodeError(f"bad Snappy data: {exc}") from None
