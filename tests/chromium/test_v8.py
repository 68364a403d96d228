"""V8 ValueSerializer and Blink envelope decoding on hand-made bytes (fact sheet 4)."""

from __future__ import annotations

import math

import pytest

from cherry_migrate.sources.chromium import (
    UNDEFINED,
    ChromiumDecodeError,
    JsArrayBufferView,
    JsBigInt,
    JsBoxed,
    JsDate,
    JsError,
    JsFileList,
    JsMap,
    JsRegExp,
    JsSet,
)
from cherry_migrate.sources.chromium.envelope import decode_ssv
from cherry_migrate.sources.chromium.js_types import JsFile
from cherry_migrate.sources.chromium.v8 import deserialize

V16 = b"\xff\x10"


def v8(hex_text: str) -> object:
    return deserialize(V16 + bytes.fromhex(hex_text))


@pytest.mark.parametrize(
    ("hex_text", "expected"),
    [
        ("44 00 00 3e 54 f0 54 79 42", JsDate(1740787500000.0)),
        (
            "3b 22 01 6b 49 02 49 04 22 03 74 77 6f 6f 22 01 6f 49 02 7b 01 41 01 49 02 24 00 01 3a 06",
            JsMap([("k", 1), (2, "two"), ({"o": 1}, [1])]),
        ),
        ("27 22 01 61 49 02 30 2c 03", JsSet(["a", 1, None])),
        ("61 05 49 00 49 02 49 04 49 06 40 02 05", [1, None, 3, None, None]),
        ("5a 10 d2 0a 1f eb 8c a9 54 ab", JsBigInt(12345678901234567890)),
        ("5a 03 05", JsBigInt(-5)),
        ("63 0a 61 00 00 d8 62 00 ff df 63 00", "a\ud800b\udfffc"),
        ("00 63 04 2d 4e 87 65", "\u4e2d\u6587"),  # padding byte before a two-byte string
        ("22 06 63 61 66 e9 20 ff", "caf\u00e9 \u00ff"),
        ("53 05 63 61 66 c3 a9", "caf\u00e9"),  # legacy UTF-8 string
        ("49 01", -1),
        ("55 ff ff ff ff 0f", 4294967295),
        ("4e 00 00 00 00 00 00 f0 3f", 1),
        ("5f", UNDEFINED),
        ("41 03 2d 49 02 5f 24 00 03", [None, 1, UNDEFINED]),  # dense array with a hole
        ("6f 49 02 22 01 61 49 14 22 01 62 7b 02", {"1": "a", "10": "b"}),
        ("6f 4e 00 00 00 00 00 00 f8 3f 30 7b 01", {"1.5": None}),
        ("79", JsBoxed(True)),
        ("7a 02 07", JsBoxed(JsBigInt(7))),
        ("52 22 03 61 62 63 a3 01", JsRegExp("abc", "dgis")),  # d 128, s 32, i 2, g 1
        ("7e 02 08 01 02", b"\x01\x02"),  # resizable ArrayBuffer reads back as a plain one
        ("3f 01 5f", UNDEFINED),  # legacy object-count check
    ],
)
def test_tags(hex_text: str, expected: object) -> None:
    assert v8(hex_text) == expected


def test_number_representation() -> None:
    negative_zero = v8("4e 00 00 00 00 00 00 00 80")
    assert isinstance(negative_zero, float) and math.copysign(1, negative_zero) == -1
    assert type(v8("4e 00 00 00 00 00 00 e0 41")) is int  # 2**31 as a double
    assert math.isnan(v8("4e 00 00 00 00 00 00 f8 7f"))  # type: ignore[arg-type]


def test_object_ids_and_views() -> None:
    # {a: ab, v: Uint16Array(ab, 0, 2), w: ^1 (ab), x: ^2 (the view)}
    value = v8("6f 22 01 61 42 02 01 02 22 01 76 5e 01 56 57 00 02 00 22 01 78 5e 02 7b 03")
    assert isinstance(value, dict)
    view = value["v"]
    assert isinstance(view, JsArrayBufferView) and view.kind == "Uint16Array"
    assert view.buffer is value["a"] and value["x"] is view
    assert view.elements() == [0x0201]


def test_error_with_prototype_message_stack_and_cause() -> None:
    err = v8("72 52 6d 22 01 78 73 22 02 73 74 63 49 04 2e")
    assert err == JsError("RangeError", "x", "st", 2)


def test_host_objects_resolve_through_the_external_object_list() -> None:
    files = [JsFile("text/plain", 1, 2, None, "a.txt", 0.0), JsFile("text/plain", 1, 3, None, "b.txt", 0.0)]
    value = deserialize(V16 + bytes.fromhex("41 02 5c 65 00 5c 4c 02 00 01 24 00 02"), external=files)
    assert value == [files[0], JsFileList((files[0], files[1]))]
    with pytest.raises(ChromiumDecodeError, match="blob index 5"):
        deserialize(V16 + bytes.fromhex("5c 69 05"), external=files)
    with pytest.raises(ChromiumDecodeError, match="unsupported Blink host object"):
        deserialize(V16 + bytes.fromhex("5c 23 00"))


@pytest.mark.parametrize(
    ("hex_text", "message"),
    [
        ("47", "unknown V8 tag 0x47"),
        ("22 05 61", "ends inside a string"),
        ("6f 22 01 61 49 02 7b 02", "1 entries read, 2 announced"),
        ("5e 03", "reference to unknown object 3"),
        ("61 ff ff ff ff 0f 40 00 ff ff ff ff 0f", "too long to expand"),
        ("74 00", "unknown V8 tag 0x74"),  # transferred ArrayBuffer: never in stored data
    ],
)
def test_malformed_values_raise_decode_errors(hex_text: str, message: str) -> None:
    with pytest.raises(ChromiumDecodeError, match=message):
        v8(hex_text)


def test_deep_nesting_is_a_decode_error() -> None:
    with pytest.raises(ChromiumDecodeError, match="nested too deeply"):
        v8("41 01 " * 5000)


ENVELOPE_21 = "ff 15 fe 00 00 00 00 00 00 00 00 00 00 00 00"


def test_blink_envelopes() -> None:
    issues: list[str] = []
    value = "6f 22 01 61 49 02 7b 01"
    assert decode_ssv(bytes.fromhex(f"{ENVELOPE_21} ff 10 {value}"), [], issues.append) == {"a": 1}
    assert decode_ssv(bytes.fromhex(f"ff 11 ff 0f {value}"), [], issues.append) == {"a": 1}  # Blink 17, V8 15
    assert decode_ssv(bytes.fromhex(f"ff 0d {value}"), [], issues.append) == {"a": 1}  # shared header
    assert issues == []
    # trailer at offset 20: the value ends there, the trailer itself is skipped
    with_trailer = bytes.fromhex(
        "ff 15 fe 00 00 00 00 00 00 00 14 00 00 00 07 ff 10 49 02 00 a0 00 00 00 02 69 65"
    )
    assert decode_ssv(with_trailer, [], issues.append) == 1
    newer = bytes.fromhex(f"ff 16 fe 00 00 00 00 00 00 00 00 00 00 00 00 ff 11 {value}")
    assert decode_ssv(newer, [], issues.append) == {"a": 1}
    assert issues == [
        "unknown Blink serialization version 22, read as 21",
        "unknown V8 serialization version 17, read as 16",
    ]
    with pytest.raises(ChromiumDecodeError, match="legacy version-0"):
        decode_ssv(b"\x49\x02", [], issues.append)
    with pytest.raises(ChromiumDecodeError, match="without a trailer field"):
        decode_ssv(bytes.fromhex("ff 15 ff 10 49 02"), [], issues.append)


def test_pre_13_host_objects_have_no_tag() -> None:
    files = [JsFile("text/plain", 1, 2, None, "a.txt", 0.0)]
    assert deserialize(bytes.fromhex("ff 0c 65 00"), external=files) == files[0]
