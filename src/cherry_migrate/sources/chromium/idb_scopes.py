"""Roll back transactions that never committed ("LevelDB scopes", fact sheet 3.9).

Chromium writes a readwrite transaction's data directly and keeps an undo log under the global
metadata prefix ``00 00 00 00 32``. A scope whose metadata (``32 01 <scope>``) still lists locks
did not commit (crash, or files copied while the app was writing): its undo tasks
(``32 02 <scope> 00 <u64 BE>``, ascending key order = reverse write order) restore the previous
state. A scope whose metadata is empty committed; its leftover undo tasks are ignored.

The result is an :class:`Overlay` that the LevelDB view applies on top of the stored data.
"""

from __future__ import annotations

from typing import Any

from .binary import read_varint
from .errors import ChromiumDecodeError
from .idb_keys import any_key_sort_key
from .leveldb import Overlay

_SCOPES_PREFIX = b"\x00\x00\x00\x00\x32"
_SCOPE_METADATA, _UNDO_TASKS = 1, 2
_UNDO_TASK_KIND = 0


def _protobuf_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """Top-level fields of a protobuf message (varint and length-delimited wire types only)."""
    fields: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        tag, pos = read_varint(data, pos)
        number, wire_type = tag >> 3, tag & 7
        if wire_type == 0:
            value, pos = read_varint(data, pos)
            fields.append((number, value))
        elif wire_type == 2:
            size, pos = read_varint(data, pos)
            if pos + size > len(data):
                raise ChromiumDecodeError("protobuf field runs past the end")
            fields.append((number, data[pos : pos + size]))
            pos += size
        else:
            raise ChromiumDecodeError(f"unexpected protobuf wire type {wire_type}")
    return fields


def _bytes_field(message: bytes, number: int) -> bytes:
    for field_number, value in _protobuf_fields(message):
        if field_number == number and isinstance(value, bytes):
            return value
    return b""


def build_undo_overlay(global_metadata: dict[bytes, bytes]) -> Overlay | None:
    """Overlay undoing every uncommitted scope found in the live global metadata, or None."""
    open_scopes: set[int] = set()
    tasks: dict[int, list[tuple[bytes, bytes]]] = {}
    for key, value in global_metadata.items():
        if not key.startswith(_SCOPES_PREFIX) or len(key) < 7:
            continue
        kind = key[5]
        scope, pos = read_varint(key, 6)
        if kind == _SCOPE_METADATA and any(number == 1 for number, _ in _protobuf_fields(value)):
            open_scopes.add(scope)
        elif kind == _UNDO_TASKS and pos < len(key) and key[pos] == _UNDO_TASK_KIND:
            tasks.setdefault(scope, []).append((key, value))
    if not open_scopes:
        return None
    points: dict[bytes, bytes | None] = {}
    ranges: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
    for scope in sorted(open_scopes, reverse=True):  # undo the newest transaction first
        for _, task in sorted(tasks.get(scope, [])):
            for number, body in _protobuf_fields(task):
                if not isinstance(body, bytes):
                    continue
                if number == 1:
                    points[_bytes_field(body, 1)] = _bytes_field(body, 2)
                elif number == 2:
                    points[_bytes_field(body, 1)] = None
                elif number == 3:
                    begin, end = (
                        any_key_sort_key(_bytes_field(body, 1)),
                        any_key_sort_key(_bytes_field(body, 2)),
                    )
                    ranges.append((begin, end))
                    for key in [k for k in points if begin <= any_key_sort_key(k) < end]:
                        del points[key]

    def deleted(key: bytes) -> bool:
        if not ranges:
            return False
        sort_key = any_key_sort_key(key)
        return any(begin <= sort_key < end for begin, end in ranges)

    return Overlay(points, deleted)
