"""Python stand-ins for JavaScript values that have no natural Python type.

Mapping used by the decoders:

=====================  ================================================================
JavaScript             Python
=====================  ================================================================
undefined              :data:`UNDEFINED` (``JsUndefined``; JSON drops it or writes null)
null                   ``None``
boolean                ``bool``
number                 ``int`` when integral, not -0 and a safe integer (|n| <= 2**53,
                       where ``int`` prints as JavaScript prints the number), else
                       ``float`` (incl. -0.0, nan, inf)
BigInt                 :class:`JsBigInt` (an ``int`` subclass, to tell it from numbers)
string                 ``str``; lone surrogates stay as U+D800..U+DFFF code points
plain object           ``dict`` with ``str`` keys, in JavaScript property order
array                  ``list``; holes become ``None``; an array with extra named
                       properties is a :class:`JsArray` (a ``list`` with ``.properties``)
Date                   :class:`JsDate`
Map / Set              :class:`JsMap` / :class:`JsSet` (keys may be unhashable)
ArrayBuffer            ``bytes``
typed array, DataView  :class:`JsArrayBufferView`
Boolean/Number/String  :class:`JsBoxed`
RegExp                 :class:`JsRegExp`
Error                  :class:`JsError`
Blob / File / FileList :class:`JsBlob` / :class:`JsFile` / :class:`JsFileList`
=====================  ================================================================

Shared and circular references are preserved: the same Python object appears twice.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path


class JsUndefined:
    """The JavaScript value ``undefined`` (a singleton, falsy)."""

    _instance: JsUndefined | None = None

    def __new__(cls) -> JsUndefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = JsUndefined()


class JsBigInt(int):
    """A JavaScript BigInt (JSON.stringify refuses these)."""

    def __repr__(self) -> str:
        return f"JsBigInt({int(self)})"


class JsArray(list[object]):
    """An array that also carries named (non-index) properties, e.g. ``a.extra = 'x'``."""

    def __init__(self, items: list[object], properties: dict[str, object] | None = None) -> None:
        super().__init__(items)
        self.properties: dict[str, object] = properties or {}


_MS_PER_DAY = 86_400_000
_MAX_TIME = 8.64e15


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) of a day number since 1970-01-01 (any year)."""
    days += 719_468
    era = days // 146_097
    doe = days - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


@dataclass(frozen=True)
class JsDate:
    """A JavaScript Date: milliseconds since 1970-01-01 UTC (nan for an invalid date)."""

    ms: float

    @property
    def is_valid(self) -> bool:
        return math.isfinite(self.ms) and abs(self.ms) <= _MAX_TIME

    def to_json(self) -> str | None:
        """``Date.prototype.toJSON``: the ISO string, or ``None`` (null) for an invalid date."""
        if not self.is_valid:
            return None
        ms = int(self.ms)  # time values are integral (TimeClip truncates)
        days, rest = divmod(ms, _MS_PER_DAY)
        year, month, day = _civil_from_days(days)
        seconds, milli = divmod(rest, 1000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
        return f"{year_text}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


@dataclass(eq=False)
class JsMap:
    """A JavaScript Map; ``entries`` keeps insertion order and allows any key."""

    entries: list[tuple[object, object]] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsMap) and self.entries == other.entries


@dataclass(eq=False)
class JsSet:
    """A JavaScript Set, in insertion order."""

    values: list[object] = field(default_factory=list)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsSet) and self.values == other.values


_VIEW_FORMATS = {
    "Int8Array": "b",
    "Uint8Array": "B",
    "Uint8ClampedArray": "B",
    "Int16Array": "h",
    "Uint16Array": "H",
    "Int32Array": "i",
    "Uint32Array": "I",
    "Float16Array": "e",
    "Float32Array": "f",
    "Float64Array": "d",
    "BigInt64Array": "q",
    "BigUint64Array": "Q",
}


@dataclass(eq=False)
class JsArrayBufferView:
    """A typed array or DataView: ``kind`` is the constructor name, ``buffer`` the whole
    ArrayBuffer (shared with other views), ``byte_offset``/``byte_length`` the viewed part."""

    kind: str
    buffer: bytes
    byte_offset: int
    byte_length: int

    @property
    def data(self) -> bytes:
        return self.buffer[self.byte_offset : self.byte_offset + self.byte_length]

    def elements(self) -> list[int | float]:
        """The elements of a typed array (little-endian, as every supported platform stores them).

        Element values are JavaScript numbers (integral floats as ``int``) or, for the BigInt
        arrays, :class:`JsBigInt`.
        """
        fmt = _VIEW_FORMATS.get(self.kind)
        if fmt is None:
            raise TypeError(f"{self.kind} has no elements")
        count = self.byte_length // struct.calcsize(fmt)
        values = struct.unpack_from(f"<{count}{fmt}", self.buffer, self.byte_offset)
        if fmt in "qQ":
            return [JsBigInt(v) for v in values]
        return [js_number(v) for v in values] if fmt in "efd" else list(values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsArrayBufferView) and (self.kind, self.data) == (other.kind, other.data)


@dataclass(frozen=True)
class JsBoxed:
    """A primitive wrapper object: ``new Boolean(..)``, ``new Number(..)``, ``new String(..)``,
    ``Object(1n)``."""

    value: bool | int | float | str


@dataclass(frozen=True)
class JsRegExp:
    source: str
    flags: str


@dataclass(eq=False)
class JsError:
    """An Error object; ``name`` is the constructor (``TypeError``...); ``cause`` is
    :data:`UNDEFINED` when the error has none."""

    name: str = "Error"
    message: str | None = None
    stack: str | None = None
    cause: object = UNDEFINED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsError) and (self.name, self.message, self.stack, self.cause) == (
            other.name,
            other.message,
            other.stack,
            other.cause,
        )


@dataclass(frozen=True)
class JsBlob:
    """A Blob stored with the record; ``path`` is its file in the ``.blob`` folder (``None`` when
    there is no such folder). ``read_bytes`` raises ``FileNotFoundError`` if the file is gone."""

    mime_type: str
    size: int
    blob_number: int
    path: Path | None

    def read_bytes(self) -> bytes:
        if self.path is None:
            raise FileNotFoundError(f"no blob folder for blob {self.blob_number}")
        return self.path.read_bytes()


@dataclass(frozen=True)
class JsFile(JsBlob):
    """A File: a Blob with a name and ``last_modified`` in ms since 1970 (JavaScript's unit)."""

    name: str = ""
    last_modified: float = 0.0


@dataclass(frozen=True)
class JsFileList:
    files: tuple[JsFile, ...]


_MAX_SAFE = 2.0**53


def js_number(value: float) -> int | float:
    """A JavaScript number as the most natural Python number.

    Integral values up to 2**53 in magnitude become ``int`` (JavaScript prints them the same
    way); -0.0, nan, ±inf, fractions and larger values stay ``float``.
    """
    if value.is_integer() and abs(value) <= _MAX_SAFE and not (value == 0 and math.copysign(1.0, value) < 0):
        return int(value)
    return value


def js_number_to_string(value: float) -> str:
    """``Number.prototype.toString()`` for a double (used for numeric property keys)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) <= _MAX_SAFE:
        return str(int(value))
    sign = "-" if value < 0 else ""
    # repr gives the shortest round-trip digits, as JavaScript does; only the layout differs
    mantissa, _, exp_text = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    n = len(whole) + int(exp_text or 0) - (len(whole + frac) - len(digits))  # point position
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        exponent = n - 1
        fraction = "." + digits[1:] if k > 1 else ""
        text = f"{digits[0]}{fraction}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return sign + text
