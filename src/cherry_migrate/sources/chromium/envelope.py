"""The layers around a stored IndexedDB value, outermost first.

::

    LevelDB value = VarInt record version || payload
    payload       = ff 11 01 VarInt size VarInt index  -> payload is in a blob file
                  | ff 11 02 raw-Snappy(SSV)           -> compressed
                  | SSV
    SSV           = Blink envelope || V8 header || V8 value || [trailer]

A blob file of a wrapped value holds a payload again (compressed or not), never another blob
reference. The Blink envelope is ``ff <version>``; from version 21 it is followed by ``fe`` and
the trailer's offset (u64 BE) and size (u32 BE), and the V8 value ends at that offset. Before
Blink 16 there was one shared header, read by V8 itself.

Unknown newer versions (Blink > 21, V8 > 16) are read with the newest known layout and reported.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .binary import read_varint
from .errors import ChromiumDecodeError
from .idb_keys import read_string_with_length
from .js_types import JsBlob, JsFile
from .snappy import decompress
from .v8 import MAX_VERSION, deserialize, read_header

WRAPPED, COMPRESSED = b"\xff\x11\x01", b"\xff\x11\x02"
BLINK_TRAILER_VERSION, BLINK_SEPARATE_ENVELOPE, BLINK_MAX_VERSION = 21, 16, 21
_TRAILER_TAG = 0xFE
_UNIX_EPOCH_IN_WINDOWS_US = 11_644_473_600_000_000  # µs from 1601-01-01 to 1970-01-01

Report = Callable[[str], None]


@dataclass(frozen=True)
class ExternalObject:
    """One entry of a record's external-object list (key kind 3)."""

    kind: int  # 0 Blob, 1 File, 2 File System Access handle
    blob_number: int = 0
    mime_type: str = ""
    size: int = 0
    name: str = ""
    last_modified_us: int = 0  # µs since 1601-01-01 UTC


def parse_external_objects(data: bytes) -> list[ExternalObject]:
    objects: list[ExternalObject] = []
    pos = 0
    while pos < len(data):
        kind = data[pos]
        pos += 1
        if kind in (0, 1):
            number, pos = read_varint(data, pos)
            mime, pos = read_string_with_length(data, pos)
            size, pos = read_varint(data, pos)
            if kind == 0:
                objects.append(ExternalObject(0, number, mime, size))
                continue
            name, pos = read_string_with_length(data, pos)
            modified, pos = read_varint(data, pos)
            objects.append(ExternalObject(1, number, mime, size, name, modified))
        elif kind == 2:
            token_size, pos = read_varint(data, pos)
            pos += token_size
            objects.append(ExternalObject(2))
        else:
            raise ChromiumDecodeError(f"unknown external object type {kind}")
    if pos != len(data):
        raise ChromiumDecodeError("external object list runs past its end")
    return objects


def blob_path(blob_dir: Path, database_id: int, blob_number: int) -> Path:
    """``<blob dir>/<db id hex>/<(number >> 8) & 0xff as 2 hex digits>/<number hex>``."""
    return blob_dir / f"{database_id:x}" / f"{(blob_number >> 8) & 0xFF:02x}" / f"{blob_number:x}"


def _js_blob(entry: ExternalObject, path: Path | None) -> JsBlob:
    if entry.kind == 1:
        modified_ms = (entry.last_modified_us - _UNIX_EPOCH_IN_WINDOWS_US) / 1000
        return JsFile(entry.mime_type, entry.size, entry.blob_number, path, entry.name, modified_ms)
    return JsBlob(entry.mime_type, entry.size, entry.blob_number, path)


def decode_ssv(ssv: bytes, external: list[JsBlob], report: Report) -> object:
    """Decode a serialized script value (Blink envelope + V8 value)."""
    if not ssv or ssv[0] != 0xFF:
        raise ChromiumDecodeError("value without a version header (legacy version-0 format)")
    version, pos = read_varint(ssv, 1)
    if version < BLINK_SEPARATE_ENVELOPE:
        return deserialize(ssv, pos, version=version, external=external)
    end = len(ssv)
    if version > BLINK_MAX_VERSION:
        report(f"unknown Blink serialization version {version}, read as {BLINK_MAX_VERSION}")
    if version >= BLINK_TRAILER_VERSION:
        if pos + 13 > len(ssv) or ssv[pos] != _TRAILER_TAG:
            raise ChromiumDecodeError(f"Blink version {version} envelope without a trailer field")
        offset, size = struct.unpack_from(">QI", ssv, pos + 1)
        pos += 13
        if offset:
            if offset + size > len(ssv) or offset < pos:
                raise ChromiumDecodeError("Blink trailer outside the value")
            end = offset
    v8_version, pos = read_header(ssv, pos)
    if v8_version > MAX_VERSION:
        report(f"unknown V8 serialization version {v8_version}, read as {MAX_VERSION}")
    return deserialize(ssv, pos, end, version=v8_version, external=external)


def decode_record_value(
    value: bytes,
    external_objects: list[ExternalObject],
    blob_dir: Path | None,
    database_id: int,
    report: Report,
) -> object:
    """Decode the value of an IndexedDB data record.

    ``external_objects`` is the record's external-object list (empty if it has none). A wrapped
    value whose blob file is missing raises :class:`ChromiumDecodeError`; a missing file of a
    user Blob/File is only reported (the Blob object is still returned, its file is gone).
    """
    _, pos = read_varint(value, 0)  # record version, equal to the exists entry's
    payload = value[pos:]
    wrapper_index = -1
    if payload.startswith(WRAPPED):
        size, p = read_varint(payload, 3)
        wrapper_index, _ = read_varint(payload, p)
        if wrapper_index >= len(external_objects):
            raise ChromiumDecodeError(f"wrapped value refers to missing external object {wrapper_index}")
        number = external_objects[wrapper_index].blob_number
        if blob_dir is None:
            raise ChromiumDecodeError(f"value is stored in blob {number}, but there is no .blob folder")
        wrapper_path = blob_path(blob_dir, database_id, number)
        where = str(wrapper_path)
        try:
            payload = wrapper_path.read_bytes()
        except OSError as exc:
            raise ChromiumDecodeError(f"blob file of a wrapped value unreadable: {exc}", where) from None
        if len(payload) != size:
            raise ChromiumDecodeError(f"blob file holds {len(payload)} bytes, record says {size}", where)
        if payload.startswith(WRAPPED):
            raise ChromiumDecodeError("blob file of a wrapped value is itself wrapped", where)
    ssv = decompress(payload[3:]) if payload.startswith(COMPRESSED) else payload
    blobs: list[JsBlob] = []
    for index, entry in enumerate(external_objects):
        path = blob_path(blob_dir, database_id, entry.blob_number) if blob_dir is not None else None
        if entry.kind != 2 and index != wrapper_index and (path is None or not path.is_file()):
            report(f"file of blob {entry.blob_number} ({entry.mime_type}) is missing: its content is lost")
        blobs.append(_js_blob(entry, path))
    return decode_ssv(ssv, blobs, report)
