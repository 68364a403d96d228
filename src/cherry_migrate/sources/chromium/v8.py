"""Deserializer for V8's ValueSerializer format (what ``structuredClone``/IndexedDB store).

Input: the V8 part of a serialized value, starting at its ``ff <version>`` header. Versions 13
to 16 are what Electron apps write (16 only widened array-buffer lengths to 64-bit varints, which
decode the same); older ones are read too (before 13, host objects had no tag of their own).
Output: Python values as described in :mod:`.js_types`.

Decisions where JavaScript and Python differ:

* Holes (absent elements of dense or sparse arrays) become ``None``, exactly what
  ``JSON.stringify`` writes for them; ``undefined`` elements stay :data:`UNDEFINED`.
* Sparse arrays are expanded into full lists; a length above ``MAX_SPARSE_LENGTH`` is refused
  (:class:`ChromiumDecodeError`) rather than allocating gigabytes for ``a[4e9] = 1``.
* An array with named properties is a :class:`JsArray`; if such an array contains a reference
  to itself, that inner reference is the plain list (the subclass is only known at the end).
* Numeric property keys become their JavaScript string form (``1`` -> ``"1"``).

Blink host objects: inside IndexedDB a Blob is ``\\ i <index>``, a File ``\\ e <index>``, a
FileList ``\\ L <count> <index>...``, the index pointing into the record's external-object list,
which the caller passes in. Other host objects (ImageData, CryptoKey, ...) raise
:class:`ChromiumDecodeError`.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import TypeVar

from .binary import decode_utf16, read_varint
from .errors import ChromiumDecodeError
from .js_types import (
    UNDEFINED,
    JsArray,
    JsArrayBufferView,
    JsBigInt,
    JsBlob,
    JsBoxed,
    JsDate,
    JsError,
    JsFile,
    JsFileList,
    JsMap,
    JsRegExp,
    JsSet,
    js_number,
    js_number_to_string,
)

MAX_VERSION = 16  # newest V8 serialization version known (Chromium 149 and later)
MAX_SPARSE_LENGTH = 1 << 24

_DOUBLE = struct.Struct("<d")
_VIEW_KINDS = {
    ord("b"): "Int8Array",
    ord("B"): "Uint8Array",
    ord("C"): "Uint8ClampedArray",
    ord("w"): "Int16Array",
    ord("W"): "Uint16Array",
    ord("d"): "Int32Array",
    ord("D"): "Uint32Array",
    ord("h"): "Float16Array",
    ord("f"): "Float32Array",
    ord("F"): "Float64Array",
    ord("q"): "BigInt64Array",
    ord("Q"): "BigUint64Array",
    ord("?"): "DataView",
}
_ERROR_PROTOTYPES = {
    ord("E"): "EvalError",
    ord("R"): "RangeError",
    ord("F"): "ReferenceError",
    ord("S"): "SyntaxError",
    ord("T"): "TypeError",
    ord("U"): "URIError",
}
_REGEXP_FLAGS = (
    ("d", 128),
    ("g", 1),
    ("i", 2),
    ("l", 64),
    ("m", 4),
    ("s", 32),
    ("u", 16),
    ("v", 256),
    ("y", 8),
)
_TRANSFER_TAGS = b"tuwmp"
_B = TypeVar("_B", bound=JsBlob)


def _array_index(key: str) -> int | None:
    """The array index a property key denotes, if it is one (canonical, below 2**32 - 1)."""
    if key.isdigit() and (key == "0" or key[0] != "0"):
        index = int(key)
        if index < 0xFFFFFFFF:
            return index
    return None


class _Deserializer:
    def __init__(self, data: bytes, pos: int, end: int, version: int, external: Sequence[JsBlob]) -> None:
        self.data = data
        self.pos = pos
        self.end = end
        self.version = version
        self.external = external
        self.objects: list[object] = []

    # -- primitives -------------------------------------------------------------------------

    def varint(self) -> int:
        pos = self.pos
        if pos < self.end and self.data[pos] < 0x80:  # one-byte fast path
            self.pos = pos + 1
            return self.data[pos]
        value, self.pos = read_varint(self.data, pos)
        if self.pos > self.end:
            raise ChromiumDecodeError("varint runs past the end of the value")
        return value

    def raw(self, size: int) -> bytes:
        start = self.pos
        self.pos += size
        if self.pos > self.end:
            raise ChromiumDecodeError("value ends inside a string or buffer")
        return self.data[start : self.pos]

    def double(self) -> float:
        return float(_DOUBLE.unpack(self.raw(8))[0])

    def bigint(self) -> JsBigInt:
        bitfield = self.varint()
        magnitude = int.from_bytes(self.raw(bitfield >> 1), "little")
        return JsBigInt(-magnitude if bitfield & 1 else magnitude)

    def tag(self) -> int:
        """Next tag, skipping padding bytes."""
        tag = self.peek_tag()
        if tag is None:
            raise ChromiumDecodeError("value ends where a tag was expected")
        self.pos += 1
        return tag

    def peek_tag(self) -> int | None:
        """Next tag without consuming it (padding before it is consumed)."""
        data, pos, end = self.data, self.pos, self.end
        while pos < end and data[pos] == 0:
            pos += 1
        self.pos = pos
        return data[pos] if pos < end else None

    def string(self) -> str:
        """A string where only a string may appear (RegExp source, String object, Error text)."""
        tag = self.tag()
        reader = _STRING_READERS.get(tag)
        if reader is None:
            raise ChromiumDecodeError(f"expected a string, found tag {tag:#04x}")
        return reader(self)

    def one_byte_string(self) -> str:
        return self.raw(self.varint()).decode("latin-1")  # V8 one-byte strings are Latin-1

    def two_byte_string(self) -> str:
        return decode_utf16(self.raw(self.varint()), big_endian=False)

    def utf8_string(self) -> str:
        return self.raw(self.varint()).decode("utf-8", "surrogatepass")

    # -- values -----------------------------------------------------------------------------

    def value(self) -> object:
        tag = self.tag()
        handler = _HANDLERS.get(tag)
        if handler is None:
            if self.version < 13 and tag not in _TRANSFER_TAGS:
                self.pos -= 1  # before version 13 host objects had no tag of their own
                return self.host_object()
            raise ChromiumDecodeError(f"unknown V8 tag {tag:#04x} ({chr(tag)!r}) at offset {self.pos - 1}")
        return handler(self)

    def maybe_view(self, buffer: bytes) -> bytes | JsArrayBufferView:
        """An ArrayBuffer (new or referenced) directly followed by ``V`` is read as that view."""
        if self.peek_tag() == 0x56:  # 'V'
            self.pos += 1
            return self.view(buffer)
        return buffer

    def new_id(self, obj: object) -> None:
        self.objects.append(obj)

    def reference(self) -> object:
        index = self.varint()
        if index >= len(self.objects):
            raise ChromiumDecodeError(f"reference to unknown object {index}")
        found = self.objects[index]
        return self.maybe_view(found) if isinstance(found, bytes) else found

    def property_key(self) -> str:
        if self.peek_tag() == 0x22:  # '"': by far the most common key
            self.pos += 1
            return self.one_byte_string()
        key = self.value()
        if isinstance(key, str):
            return key
        if isinstance(key, int | float) and not isinstance(key, bool | JsBigInt):
            return js_number_to_string(float(key))
        raise ChromiumDecodeError(f"invalid property key {key!r}")

    def properties(self, end_tag: int) -> list[tuple[str, object]]:
        props = []
        while self.peek_tag() != end_tag:
            key = self.property_key()
            props.append((key, self.value()))
        self.pos += 1
        return props

    def check_count(self, expected: int, what: str) -> None:
        found = self.varint()
        if found != expected:
            raise ChromiumDecodeError(f"{what}: {expected} entries read, {found} announced")

    def js_object(self) -> dict[str, object]:
        obj: dict[str, object] = {}
        self.new_id(obj)
        props = self.properties(0x7B)  # '{'
        obj.update(props)
        self.check_count(len(props), "object")
        return obj

    def _finish_array(self, index: int, items: list[object], props: list[tuple[str, object]]) -> list[object]:
        extra = {}
        for key, item in props:
            element = _array_index(key)
            if element is not None and element < len(items):
                items[element] = item
            else:
                extra[key] = item
        if not extra:
            return items
        array = JsArray(items, extra)
        self.objects[index] = array
        return array

    def dense_array(self) -> list[object]:
        length = self.varint()
        if length > self.end - self.pos:
            raise ChromiumDecodeError(f"dense array of length {length} longer than the value")
        items: list[object] = [None] * length
        index = len(self.objects)
        self.new_id(items)
        for i in range(length):
            if self.peek_tag() == 0x2D:  # '-': a hole
                self.tag()
                continue
            item = self.value()
            if not (self.version < 11 and item is UNDEFINED):
                items[i] = item
        props = self.properties(0x24)  # '$'
        self.check_count(len(props), "dense array properties")
        self.check_count(length, "dense array length")
        return self._finish_array(index, items, props)

    def sparse_array(self) -> list[object]:
        length = self.varint()
        if length > MAX_SPARSE_LENGTH:
            raise ChromiumDecodeError(f"sparse array of length {length} is too long to expand")
        items: list[object] = [None] * length
        index = len(self.objects)
        self.new_id(items)
        props = self.properties(0x40)  # '@'
        self.check_count(len(props), "sparse array properties")
        self.check_count(length, "sparse array length")
        return self._finish_array(index, items, props)

    def date(self) -> JsDate:
        date = JsDate(self.double())
        self.new_id(date)
        return date

    def boxed(self, value: bool | int | float | str) -> JsBoxed:
        boxed = JsBoxed(value)
        self.new_id(boxed)
        return boxed

    def regexp(self) -> JsRegExp:
        index = len(self.objects)
        self.new_id(None)
        source = self.string()
        bits = self.varint()
        regexp = JsRegExp(source, "".join(flag for flag, bit in _REGEXP_FLAGS if bits & bit))
        self.objects[index] = regexp
        return regexp

    def js_map(self) -> JsMap:
        result = JsMap()
        self.new_id(result)
        while self.peek_tag() != 0x3A:  # ':'
            key = self.value()
            result.entries.append((key, self.value()))
        self.tag()
        self.check_count(2 * len(result.entries), "map")
        return result

    def js_set(self) -> JsSet:
        result = JsSet()
        self.new_id(result)
        while self.peek_tag() != 0x2C:  # ','
            result.values.append(self.value())
        self.tag()
        self.check_count(len(result.values), "set")
        return result

    def array_buffer(self) -> bytes | JsArrayBufferView:
        data = self.raw(self.varint())
        self.new_id(data)
        return self.maybe_view(data)

    def resizable_array_buffer(self) -> bytes | JsArrayBufferView:
        size = self.varint()
        self.varint()  # maximum length: a resizable buffer reads back as a plain one
        data = self.raw(size)
        self.new_id(data)
        return self.maybe_view(data)

    def view(self, buffer: bytes) -> JsArrayBufferView:
        subtag = self.raw(1)[0]
        offset, length = self.varint(), self.varint()
        if self.version >= 14:
            self.varint()  # flags (length-tracking, backed by resizable buffer)
        kind = _VIEW_KINDS.get(subtag)
        if kind is None:
            raise ChromiumDecodeError(f"unknown array buffer view type {chr(subtag)!r}")
        if offset + length > len(buffer):
            raise ChromiumDecodeError(f"{kind} reaches past the end of its buffer")
        result = JsArrayBufferView(kind, buffer, offset, length)
        self.new_id(result)
        return result

    def error(self) -> JsError:
        result = JsError()
        self.new_id(result)
        while True:
            subtag = self.raw(1)[0]
            if subtag == 0x2E:  # '.'
                return result
            if subtag in _ERROR_PROTOTYPES:
                result.name = _ERROR_PROTOTYPES[subtag]
            elif subtag == 0x6D:  # 'm'
                result.message = self.string()
            elif subtag == 0x73:  # 's'
                result.stack = self.string()
            elif subtag == 0x63:  # 'c'
                result.cause = self.value()
            else:
                raise ChromiumDecodeError(f"unknown error field {chr(subtag)!r}")

    def external_object(self, kind: type[_B]) -> _B:
        index = self.varint()
        if index >= len(self.external):
            raise ChromiumDecodeError(f"blob index {index} outside the record's {len(self.external)} blobs")
        found = self.external[index]
        if not isinstance(found, kind):
            raise ChromiumDecodeError(f"blob index {index} is not a {kind.__name__[2:]}")
        return found

    def host_object(self) -> object:
        index = len(self.objects)
        self.new_id(None)
        blink_tag = self.tag()
        result: object
        if blink_tag == 0x69:  # 'i': Blob in IndexedDB
            result = self.external_object(JsBlob)
        elif blink_tag == 0x65:  # 'e': File in IndexedDB
            result = self.external_object(JsFile)
        elif blink_tag == 0x4C:  # 'L': FileList in IndexedDB
            result = JsFileList(tuple(self.external_object(JsFile) for _ in range(self.varint())))
        else:
            raise ChromiumDecodeError(f"unsupported Blink host object {chr(blink_tag)!r}")
        self.objects[index] = result
        return result

    def verify_count(self) -> object:
        self.varint()  # legacy object count check, nothing to verify against
        return self.value()


def _constant(value: object) -> Callable[[_Deserializer], object]:
    return lambda _: value


def _zigzag(d: _Deserializer) -> int:
    raw = d.varint()
    return (raw >> 1) ^ -(raw & 1)


_STRING_READERS: dict[int, Callable[[_Deserializer], str]] = {
    ord('"'): _Deserializer.one_byte_string,
    ord("c"): _Deserializer.two_byte_string,
    ord("S"): _Deserializer.utf8_string,
}
_HANDLERS: dict[int, Callable[[_Deserializer], object]] = {
    **_STRING_READERS,
    ord("_"): _constant(UNDEFINED),
    ord("0"): _constant(None),
    ord("T"): _constant(True),
    ord("F"): _constant(False),
    ord("I"): _zigzag,
    ord("U"): _Deserializer.varint,
    ord("N"): lambda d: js_number(d.double()),
    ord("Z"): _Deserializer.bigint,
    ord("^"): _Deserializer.reference,
    ord("o"): _Deserializer.js_object,
    ord("A"): _Deserializer.dense_array,
    ord("a"): _Deserializer.sparse_array,
    ord("D"): _Deserializer.date,
    ord("y"): lambda d: d.boxed(True),
    ord("x"): lambda d: d.boxed(False),
    ord("n"): lambda d: d.boxed(js_number(d.double())),
    ord("s"): lambda d: d.boxed(d.string()),
    ord("z"): lambda d: d.boxed(d.bigint()),
    ord("R"): _Deserializer.regexp,
    ord(";"): _Deserializer.js_map,
    ord("'"): _Deserializer.js_set,
    ord("B"): _Deserializer.array_buffer,
    ord("~"): _Deserializer.resizable_array_buffer,
    ord("r"): _Deserializer.error,
    ord("\\"): _Deserializer.host_object,
    ord("?"): _Deserializer.verify_count,
}


def read_header(data: bytes, pos: int) -> tuple[int, int]:
    """Read the ``ff <varint version>`` header; return (version, position after it)."""
    if pos >= len(data) or data[pos] != 0xFF:
        raise ChromiumDecodeError("V8 value does not start with a version header")
    return read_varint(data, pos + 1)


def deserialize(
    data: bytes,
    pos: int = 0,
    end: int | None = None,
    *,
    version: int | None = None,
    external: Sequence[JsBlob] = (),
) -> object:
    """Decode one V8 value from ``data[pos:end]``.

    If ``version`` is None the V8 header is read at ``pos``; otherwise ``pos`` is the first tag
    (old formats share one header between Blink and V8). Bytes after the value (before ``end``)
    are ignored, as V8 ignores them.
    """
    if version is None:
        version, pos = read_header(data, pos)
    reader = _Deserializer(data, pos, len(data) if end is None else end, version, external)
    try:
        return reader.value()
    except RecursionError:
        raise ChromiumDecodeError("value nested too deeply") from None
