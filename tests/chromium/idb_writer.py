"""Encodes IndexedDB keys, metadata and V8 values for synthetic test databases."""

from __future__ import annotations

import struct
from collections.abc import Mapping

from cherry_migrate.sources.chromium.binary import encode_varint
from cherry_migrate.sources.chromium.idb_keys import encode_prefix, encode_string_with_length

from .leveldb_writer import Entry

BLINK_21_V8_16 = b"\xff\x15\xfe" + b"\0" * 12 + b"\xff\x10"


def idb_key(value: object) -> bytes:
    if isinstance(value, str):
        return b"\x01" + encode_string_with_length(value)
    if isinstance(value, int | float):
        return b"\x03" + struct.pack("<d", value)
    if isinstance(value, list):
        return b"\x04" + encode_varint(len(value)) + b"".join(idb_key(v) for v in value)
    raise TypeError(value)


def _v8(value: object) -> bytes:
    if value is None:
        return b"0"
    if value is True:
        return b"T"
    if value is False:
        return b"F"
    if isinstance(value, int) and -(2**30) <= value < 2**30:
        return b"I" + encode_varint((value << 1) ^ (value >> 63))
    if isinstance(value, int | float):
        return b"N" + struct.pack("<d", value)
    if isinstance(value, str):
        try:
            raw = value.encode("latin-1")
            return b'"' + encode_varint(len(raw)) + raw
        except UnicodeEncodeError:
            raw = value.encode("utf-16-le", "surrogatepass")
            return b"c" + encode_varint(len(raw)) + raw
    if isinstance(value, dict):
        body = b"".join(_v8(k) + _v8(v) for k, v in value.items())
        return b"o" + body + b"{" + encode_varint(len(value))
    if isinstance(value, list):
        body = b"".join(_v8(v) for v in value)
        return b"A" + encode_varint(len(value)) + body + b"$\x00" + encode_varint(len(value))
    raise TypeError(value)


def v8_value(value: object, version: int = 1) -> bytes:
    """A LevelDB data value: VarInt record version + Blink 21 envelope + V8 16 value."""
    return encode_varint(version) + BLINK_21_V8_16 + _v8(value)


def metadata(database_id: int, name: str, stores: Mapping[int, tuple[str, str | None, bool]]) -> list[Entry]:
    """Entries declaring database ``name`` (origin ``file__0@1``) with stores id -> (name, key
    path, auto increment)."""
    entries: list[Entry] = [
        (
            encode_prefix(0, 0, 0)
            + b"\xc9"
            + encode_string_with_length("file__0@1")
            + encode_string_with_length(name),
            bytes((database_id,)),
        ),
        (encode_prefix(database_id, 0, 0) + b"\x04", encode_varint(10)),
    ]
    for store_id, (store_name, key_path, auto) in stores.items():
        base = encode_prefix(database_id, 0, 0) + b"\x32" + encode_varint(store_id)
        path = b"\0\0\0" if key_path is None else b"\0\0\x01" + encode_string_with_length(key_path)
        entries += [
            (base + b"\x00", store_name.encode("utf-16-be")),
            (base + b"\x01", path),
            (base + b"\x02", b"\x01" if auto else b"\x00"),
        ]
    return entries


def data_key(database_id: int, store_id: int, key: object) -> bytes:
    return encode_prefix(database_id, store_id, 1) + idb_key(key)
