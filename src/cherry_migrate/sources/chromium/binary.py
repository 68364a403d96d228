"""Varints and the little helpers every layer of the format needs."""

from __future__ import annotations

from .errors import ChromiumDecodeError

Buffer = bytes | bytearray | memoryview


def read_varint(data: Buffer, pos: int) -> tuple[int, int]:
    """Read an unsigned LEB128 varint (up to 64 bits) at ``pos``; return (value, next position)."""
    try:
        byte = data[pos]
        if byte < 0x80:
            return byte, pos + 1
        result = byte & 0x7F
        shift = 7
        pos += 1
        while True:
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result, pos
            shift += 7
            if shift > 63:
                raise ChromiumDecodeError("varint longer than 10 bytes")
    except IndexError:
        raise ChromiumDecodeError("truncated varint") from None


def read_length_prefixed(data: Buffer, pos: int) -> tuple[bytes, int]:
    """Read a varint byte count followed by that many bytes."""
    size, pos = read_varint(data, pos)
    end = pos + size
    if end > len(data):
        raise ChromiumDecodeError("length-prefixed field runs past the end")
    return bytes(data[pos:end]), end


def encode_varint(value: int) -> bytes:
    """Encode an unsigned LEB128 varint (used to build lookup keys and test data)."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_utf16(data: Buffer, big_endian: bool) -> str:
    """Decode UTF-16 without failing on unpaired surrogates.

    Chromium stores JavaScript strings, which may hold lone surrogates. They come back as the
    surrogate code points themselves (U+D800..U+DFFF), so that nothing is lost; whoever writes
    the text as UTF-8 must escape or replace them.
    """
    if len(data) % 2:
        raise ChromiumDecodeError("UTF-16 data with an odd number of bytes")
    return bytes(data).decode("utf-16-be" if big_endian else "utf-16-le", "surrogatepass")
