"""IndexedDB key space of Chromium's LevelDB backend: key prefixes, IDB keys, key paths.

Every LevelDB key starts with a prefix «database id, object store id, index id» (3.2 of the
storage fact sheet). Data records are «db, store, 1» + encoded primary key; external-object
entries «db, store, 3» + the same key. IDB keys are decoded to Python values
(string -> ``str``, number -> ``int``/``float``, Date -> :class:`JsDate`, binary -> ``bytes``,
array -> ``list``) together with a *sort key* that orders them as Chromium's ``idb_cmp1``
comparator does: numbers < dates < strings < binaries < arrays; strings by UTF-16 code units
(compared as raw UTF-16BE bytes, which differs from code point order for astral characters);
arrays element-wise, a proper prefix first.
"""

from __future__ import annotations

import struct
from typing import Any

from .binary import Buffer, decode_utf16, encode_varint, read_varint
from .errors import ChromiumDecodeError
from .js_types import JsDate, js_number
from .leveldb import KeyRange

KeyPath = str | list[str] | None

STRING, DATE, NUMBER, ARRAY, BINARY = 1, 2, 3, 4, 6
_RANK = {NUMBER: 0, DATE: 1, STRING: 2, BINARY: 3, ARRAY: 4}
_DOUBLE = struct.Struct("<d")

DATA_INDEX_ID, EXISTS_INDEX_ID, BLOB_INDEX_ID = 1, 2, 3


def _int_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "little")


def encode_prefix(database_id: int, store_id: int, index_id: int) -> bytes:
    """The key prefix for these ids (minimal little-endian id lengths, as Chromium writes them)."""
    db, store, index = _int_bytes(database_id), _int_bytes(store_id), _int_bytes(index_id)
    if len(db) > 8 or len(store) > 8 or len(index) > 4:
        raise ValueError("id too large for a key prefix")
    first = ((len(db) - 1) << 5) | ((len(store) - 1) << 2) | (len(index) - 1)
    return bytes((first,)) + db + store + index


def decode_prefix(key: Buffer, pos: int = 0) -> tuple[int, int, int, int]:
    """Return (database id, store id, index id, position after the prefix)."""
    if pos >= len(key):
        raise ChromiumDecodeError("empty key")
    first = key[pos]
    db_len, store_len, index_len = (first >> 5) + 1, ((first >> 2) & 7) + 1, (first & 3) + 1
    end = pos + 1 + db_len + store_len + index_len
    if end > len(key):
        raise ChromiumDecodeError("key shorter than its prefix")
    p = pos + 1
    db = int.from_bytes(key[p : p + db_len], "little")
    p += db_len
    store = int.from_bytes(key[p : p + store_len], "little")
    p += store_len
    index = int.from_bytes(key[p : p + index_len], "little")
    return db, store, index, end


def read_string_with_length(data: Buffer, pos: int) -> tuple[str, int]:
    """StringWithLength: varint count of UTF-16 code units, then UTF-16BE."""
    units, pos = read_varint(data, pos)
    end = pos + 2 * units
    if end > len(data):
        raise ChromiumDecodeError("string runs past the end of the key")
    return decode_utf16(data[pos:end], big_endian=True), end


def encode_string_with_length(text: str) -> bytes:
    raw = text.encode("utf-16-be", "surrogatepass")
    return encode_varint(len(raw) // 2) + raw


def decode_key(data: Buffer, pos: int) -> tuple[object, Any, int]:
    """Decode the IDB key at ``pos``; return (value, sort key, position after it)."""
    if pos >= len(data):
        raise ChromiumDecodeError("missing IDB key")
    kind = data[pos]
    pos += 1
    if kind == STRING:
        units, pos = read_varint(data, pos)
        end = pos + 2 * units
        if end > len(data):
            raise ChromiumDecodeError("string key runs past the end")
        raw = bytes(data[pos:end])
        return decode_utf16(raw, big_endian=True), (2, raw), end
    if kind in (NUMBER, DATE):
        if pos + 8 > len(data):
            raise ChromiumDecodeError("number key runs past the end")
        (number,) = _DOUBLE.unpack_from(data, pos)
        value: object = js_number(number) if kind == NUMBER else JsDate(number)
        return value, (_RANK[kind], number), pos + 8
    if kind == BINARY:
        size, pos = read_varint(data, pos)
        if pos + size > len(data):
            raise ChromiumDecodeError("binary key runs past the end")
        raw = bytes(data[pos : pos + size])
        return raw, (3, raw), pos + size
    if kind == ARRAY:
        count, pos = read_varint(data, pos)
        items, sort_keys = [], []
        for _ in range(count):
            item, item_sort, pos = decode_key(data, pos)
            items.append(item)
            sort_keys.append(item_sort)
        return items, (4, tuple(sort_keys)), pos
    raise ChromiumDecodeError(f"unknown IDB key type {kind}")


def key_sort_key(data: Buffer, pos: int) -> Any:
    """Sort key of the IDB key at ``pos`` (the whole rest of ``data`` must be that key)."""
    _, sort_key, end = decode_key(data, pos)
    if end != len(data):
        raise ChromiumDecodeError("trailing bytes after IDB key")
    return sort_key


def format_key(data: Buffer, pos: int = 0) -> str:
    """A readable form of a stored key for messages (falls back to hex)."""
    try:
        db, store, index, p = decode_prefix(data, pos)
        if store and index in (DATA_INDEX_ID, EXISTS_INDEX_ID, BLOB_INDEX_ID):
            return f"db {db} store {store}: {decode_key(data, p)[0]!r}"
    except ChromiumDecodeError:
        pass
    return bytes(data).hex(" ")


def prefix_range(database_id: int, store_id: int, index_id: int) -> KeyRange:
    """All keys with this prefix, ordered as ``idb_cmp1`` orders them.

    The sort key is only meaningful for record kinds keyed by a bare IDB key (data, exists,
    external objects); metadata ranges are read with ``LevelDB.collect_range``, which needs none.
    """
    prefix = encode_prefix(database_id, store_id, index_id)
    target = (database_id, store_id, index_id)
    size = len(prefix)

    def position(key: bytes) -> int:
        if key.startswith(prefix):
            return 0
        db, store, index, _ = decode_prefix(key)
        found = (db, store, index)
        return -1 if found < target else 1 if found > target else 0

    if store_id and index_id in (DATA_INDEX_ID, EXISTS_INDEX_ID, BLOB_INDEX_ID):
        return KeyRange(prefix, position, lambda key: key_sort_key(key, size))
    return KeyRange(prefix, position, bytes)


def decode_key_path(data: Buffer) -> KeyPath:
    """IDBKeyPath metadata: ``00 00 00`` none, ``00 00 01`` + string, ``00 00 02`` + array;
    anything else is the legacy form, a bare UTF-16BE string."""
    if len(data) < 3 or data[0] or data[1]:
        return decode_utf16(data, big_endian=True)
    kind = data[2]
    if kind == 0:
        return None
    if kind == 1:
        return read_string_with_length(data, 3)[0]
    if kind == 2:
        count, pos = read_varint(data, 3)
        paths = []
        for _ in range(count):
            path, pos = read_string_with_length(data, pos)
            paths.append(path)
        return paths
    raise ChromiumDecodeError(f"unknown key path type {kind}")


_MIN_KEY_TYPE = 5  # Chromium's encoding of the minimum key; type byte 0 encodes the maximum


def any_key_sort_key(key: bytes) -> tuple[Any, ...]:
    """Order of arbitrary keys of the IndexedDB key space, for range deletions in undo logs.

    Exact for record keys (data, exists, external objects, also the min/max keys Chromium uses as
    range bounds); other keys of one prefix are ordered bytewise, an approximation of
    ``idb_cmp1`` that only matters for metadata keys.
    """
    db, store, index, pos = decode_prefix(key)
    prefix = (db, store, index)
    if not (store and index in (DATA_INDEX_ID, EXISTS_INDEX_ID, BLOB_INDEX_ID)):
        return (prefix, bytes(key[pos:]))
    if pos == len(key):
        return (prefix, ())
    if key[pos] == _MIN_KEY_TYPE:
        return (prefix, (-1,))
    if key[pos] == 0:
        return (prefix, (9,))
    return (prefix, key_sort_key(key, pos))
