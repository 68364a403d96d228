"""to_json_compatible mirrors JSON.stringify."""

from __future__ import annotations

import json
import math

import pytest

from cherry_migrate.sources.chromium import (
    UNDEFINED,
    JsArray,
    JsArrayBufferView,
    JsBigInt,
    JsBlob,
    JsBoxed,
    JsDate,
    JsError,
    JsFileList,
    JsMap,
    JsonConversionError,
    JsRegExp,
    JsSet,
    to_json_compatible,
)
from cherry_migrate.sources.chromium.js_types import JsFile, js_number, js_number_to_string


def test_numbers() -> None:
    converted = to_json_compatible([math.nan, math.inf, -math.inf, -0.0, 1.0, 2.5, 2.0**53, 2.0**60, 1e21])
    assert converted == [None, None, None, 0, 1, 2.5, 2**53, 2.0**60, 1e21]
    assert isinstance(converted, list)
    assert [type(v) for v in converted[3:7]] == [int, int, float, int]
    assert (
        json.dumps(converted)
        == "[null, null, null, 0, 1, 2.5, 9007199254740992, 1.152921504606847e+18, 1e+21]"
    )


def test_number_to_string_matches_javascript() -> None:
    cases = {
        1.5: "1.5",
        0.1: "0.1",
        1e21: "1e+21",
        1.5e-7: "1.5e-7",
        1e-6: "0.000001",
        123456789012345680000.0: "123456789012345680000",
        -2.5: "-2.5",
        5e-324: "5e-324",
        math.nan: "NaN",
        -math.inf: "-Infinity",
        -0.0: "0",
    }
    assert {k: js_number_to_string(k) for k in cases} == cases
    assert js_number(3.0) == 3 and type(js_number(3.0)) is int and type(js_number(-0.0)) is float


def test_undefined_and_holes() -> None:
    value = {"a": UNDEFINED, "b": [UNDEFINED, None, 1], "c": None}
    assert to_json_compatible(value) == {"b": [None, None, 1], "c": None}
    assert to_json_compatible(UNDEFINED) is None


def test_objects_without_enumerable_properties_become_empty() -> None:
    blob = JsBlob("text/plain", 1, 2, None)
    for value in (b"\x00", JsMap([("k", 1)]), JsSet([1]), JsRegExp("a", "g"), JsError("Error", "m"), blob):
        assert to_json_compatible(value) == {}
    view = JsArrayBufferView("DataView", b"\x01\x02", 0, 2)
    assert to_json_compatible(view) == {}
    file = JsFile("text/plain", 1, 3, None, "a.txt", 0.0)
    assert to_json_compatible(JsFileList((file, file))) == {"0": {}, "1": {}}


def test_typed_arrays_become_index_objects() -> None:
    floats = JsArrayBufferView("Float32Array", bytes.fromhex("0000c07f0000803f"), 0, 8)
    assert to_json_compatible(floats) == {"0": None, "1": 1}
    with pytest.raises(JsonConversionError, match="BigInt"):
        to_json_compatible(JsArrayBufferView("BigInt64Array", b"\x01" + b"\x00" * 7, 0, 8))


def test_dates_boxes_and_arrays_with_properties() -> None:
    assert to_json_compatible(JsDate(0.0)) == "1970-01-01T00:00:00.000Z"
    assert to_json_compatible(JsDate(-62198755200000.0)) == "-000001-01-01T00:00:00.000Z"
    assert to_json_compatible(JsDate(8.64e15 + 1)) is None
    assert to_json_compatible([JsBoxed(False), JsBoxed(2.0), JsBoxed("s")]) == [False, 2, "s"]
    assert to_json_compatible(JsArray([1], {"extra": 2})) == [1]
    assert type(to_json_compatible(JsArray([1], {"extra": 2}))) is list


def test_bigint_and_cycles_raise_with_a_path() -> None:
    with pytest.raises(JsonConversionError, match=r"at \.a\[1\]\.b"):
        to_json_compatible({"a": [0, {"b": JsBigInt(1)}]})
    with pytest.raises(JsonConversionError, match="BigInt"):
        to_json_compatible(JsBoxed(JsBigInt(1)))
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(JsonConversionError, match=r"circular structure at \[0\]"):
        to_json_compatible(loop)
    shared = {"x": 1}
    assert to_json_compatible([shared, shared]) == [{"x": 1}, {"x": 1}]  # shared, not circular


def test_lone_surrogates_survive_and_escape() -> None:
    converted = to_json_compatible({"s": "a\ud800b"})
    assert json.dumps(converted) == '{"s": "a\\ud800b"}'
