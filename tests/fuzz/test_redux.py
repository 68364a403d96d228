"""Fuzzing the Redux readers: the raw two-level ``persist:cherry-studio`` value and whole JSON
documents (slice files, config.json). Any input gives values or a SourceDataError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cherry_migrate.core.errors import SourceDataError
from cherry_migrate.sources.json_file import load_json_file, parse_json_text
from cherry_migrate.sources.redux import ReduxPersistValue
from cherry_migrate.sources.text_fixes import fix_surrogates
from tests.fuzz.strategies import encode_json, fuzz_settings, json_values, mutated_bytes, tricky_text

LOCATION = "persist-cherry-studio.json"
SLICE_NAMES = st.sampled_from(["settings", "llm", "assistants", "_persist", "note", ""]) | tricky_text


@st.composite
def slice_texts(draw: st.DrawFn) -> Any:
    """A slice as the persist value holds it: the JSON text of an object (a real slice), of another
    value, damaged JSON text, or not a string at all."""
    kind = draw(st.sampled_from(["object", "object", "other_json", "damaged", "wrong_type"]))
    if kind == "wrong_type":
        return draw(json_values.filter(lambda v: not isinstance(v, str)))
    value = draw(
        st.dictionaries(tricky_text, json_values, max_size=4) if kind != "other_json" else json_values
    )
    text = encode_json(value, ascii_only=draw(st.booleans())).decode("utf-8")
    if kind == "damaged":
        damaged = draw(mutated_bytes(text.encode("utf-8")))
        return damaged.decode("utf-8", "surrogateescape")
    return text


def refuse(name: str) -> None:
    raise ValueError(name)


def load_everything(redux: ReduxPersistValue) -> None:
    """Ask for every slice the way migrators do; only SourceDataError may come out."""
    for category in redux.categories():
        assert redux.has_category(category)
        assert redux.size_bytes(category) >= 0
        assert category in redux.location(category)
        for reader in (lambda c=category: redux.get_category(c), lambda c=category: redux.get(c, "a.0.b")):
            try:
                reader()
            except SourceDataError as exc:
                assert exc.record == category and LOCATION in str(exc)


@fuzz_settings()
@given(slices=st.dictionaries(SLICE_NAMES, slice_texts(), max_size=5), ascii_only=st.booleans())
def test_two_level_values_give_slices_or_a_source_data_error(
    slices: dict[str, Any], ascii_only: bool
) -> None:
    raw = encode_json(slices, ascii_only=ascii_only)
    redux = ReduxPersistValue(raw, location=LOCATION)
    load_everything(redux)
    for name, text in slices.items():
        if name == "_persist" or not isinstance(text, str):
            continue
        try:
            expected = fix_surrogates(json.loads(fix_surrogates(text)[0], parse_constant=refuse))[0]
        except ValueError:
            expected = None  # damaged JSON text
        if isinstance(expected, dict):
            assert redux.get_category(name) == expected
        else:  # a slice is always an object: anything else is refused, never returned
            with pytest.raises(SourceDataError):
                redux.get_category(name)


@fuzz_settings()
@given(data=st.data(), slices=st.dictionaries(SLICE_NAMES, slice_texts(), max_size=4))
def test_damaged_outer_values_give_slices_or_a_source_data_error(
    data: st.DataObject, slices: dict[str, Any]
) -> None:
    raw = data.draw(mutated_bytes(encode_json(slices, ascii_only=data.draw(st.booleans()))))
    try:
        redux = ReduxPersistValue(raw, location=LOCATION)
    except SourceDataError as exc:
        assert LOCATION in str(exc)
        return
    load_everything(redux)


@fuzz_settings()
@given(raw=st.binary(max_size=200) | st.text(max_size=200))
@example(raw=b"[" * 10_000 + b"]" * 10_000)
@example(raw='{"a":' * 2_000 + "1" + "}" * 2_000)
@example(raw=b'{"a": NaN, "b": -Infinity}')
@example(raw=b'{"s": "\xed\xa0\x80"}')
@example(raw="\ufeff{}")
def test_any_document_gives_a_value_or_a_source_data_error(raw: bytes | str) -> None:
    try:
        value, replaced = parse_json_text(raw, location="slice.json", record="r")
    except SourceDataError as exc:
        assert exc.path == "slice.json" and exc.record == "r"
        return
    assert replaced >= 0
    assert fix_surrogates(value) == (value, 0)  # no lone surrogate survives


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-json-file") / "config.json"


@fuzz_settings()
@given(data=st.data(), value=json_values)
def test_damaged_files_give_a_value_or_a_source_data_error(
    document: Path, data: st.DataObject, value: Any
) -> None:
    document.write_bytes(data.draw(mutated_bytes(encode_json(value, ascii_only=data.draw(st.booleans())))))
    try:
        load_json_file(document)
    except SourceDataError as exc:
        assert str(document) in str(exc)
