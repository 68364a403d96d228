"""Turn decoded JavaScript values into what ``JSON.stringify`` (and so Cherry Studio's
exporter) would have produced, as plain ``dict``/``list``/``str``/``int``/``float``/``bool``/``None``.

``JSON.stringify`` rules applied:

* ``undefined`` properties are left out of objects; ``undefined`` array elements and holes
  become ``null``; a top-level ``undefined`` becomes ``None`` (JavaScript would give no text);
* NaN and ±Infinity become ``null``; -0 becomes ``0``; other numbers keep their value (integral
  values up to 2**53 as ``int``);
* Date -> ``toJSON()``: the ISO string, or ``null`` for an invalid Date;
* Boolean/Number/String objects are unwrapped;
* Map, Set, RegExp, Error, ArrayBuffer, DataView, Blob, File -> ``{}`` (no enumerable own
  properties); typed arrays and FileList -> ``{"0": .., "1": ..}``; an array's named properties
  are dropped;
* BigInt (also inside a BigInt64Array or a boxed BigInt) and circular references raise
  :class:`JsonConversionError`, where ``JSON.stringify`` throws a TypeError.

Strings are passed through unchanged, lone surrogates included: ``json.dumps`` escapes them as
``\\udXXX`` (as ``JSON.stringify`` does); a UTF-8 writer without escaping must handle them.
"""

from __future__ import annotations

import math

from .js_types import (
    JsArrayBufferView,
    JsBigInt,
    JsBlob,
    JsBoxed,
    JsDate,
    JsError,
    JsFileList,
    JsMap,
    JsRegExp,
    JsSet,
    JsUndefined,
    js_number,
)

_EMPTY_OBJECT_TYPES = (bytes, JsMap, JsSet, JsRegExp, JsError, JsBlob)


class JsonConversionError(ValueError):
    """The value cannot be expressed as JSON (``JSON.stringify`` would throw)."""

    def __init__(self, message: str, path: str = "") -> None:
        self.reason = message
        self.path = path
        super().__init__(f"{message} at {path or '(root)'}")

    def within(self, step: str) -> JsonConversionError:
        return JsonConversionError(self.reason, step + self.path)


def to_json_compatible(value: object) -> object:
    """Convert a decoded value as ``JSON.stringify`` would (see the module docstring)."""
    if isinstance(value, JsUndefined):
        return None
    return _convert(value, set())


def _number(value: float) -> int | float | None:
    if math.isnan(value) or math.isinf(value):
        return None
    if value == 0:
        return 0
    return js_number(value)


def _convert(value: object, active: set[int]) -> object:
    if type(value) is str or value is None or type(value) is bool or type(value) is int:
        return value
    if type(value) is float:
        return _number(value)
    if isinstance(value, dict):
        return _object(value, active)
    if isinstance(value, list):
        return _array(value, active)
    if isinstance(value, JsBigInt):
        raise JsonConversionError("BigInt value cannot be serialized")
    if isinstance(value, JsDate):
        return value.to_json()
    if isinstance(value, JsBoxed):
        return _convert(value.value, active)
    if isinstance(value, JsArrayBufferView):
        if value.kind == "DataView":
            return {}
        return {str(i): _convert(item, active) for i, item in enumerate(value.elements())}
    if isinstance(value, JsFileList):
        return {str(i): {} for i in range(len(value.files))}
    if isinstance(value, _EMPTY_OBJECT_TYPES):
        return {}
    raise TypeError(f"not a decoded JavaScript value: {value!r}")


def _enter(value: object, active: set[int]) -> int:
    """Mark a container as being converted; meeting it again below itself is a cycle."""
    marker = id(value)
    if marker in active:
        raise JsonConversionError("circular structure")
    active.add(marker)
    return marker


def _object(value: dict[str, object], active: set[int]) -> dict[str, object]:
    marker = _enter(value, active)
    out: dict[str, object] = {}
    for key, item in value.items():
        if isinstance(item, JsUndefined):
            continue
        try:
            out[key] = _convert(item, active)
        except JsonConversionError as exc:
            raise exc.within(f".{key}") from None
    active.discard(marker)
    return out


def _array(value: list[object], active: set[int]) -> list[object]:
    marker = _enter(value, active)
    out: list[object] = []
    for index, item in enumerate(value):
        try:
            out.append(None if isinstance(item, JsUndefined) else _convert(item, active))
        except JsonConversionError as exc:
            raise exc.within(f"[{index}]") from None
    active.discard(marker)
    return out
