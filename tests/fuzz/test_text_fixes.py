"""Fuzzing the lone-surrogate repairs: on decoded values and on JSON bytes, whole or streamed."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from cherry_migrate.sources.text_fixes import (
    MAX_ESCAPE_TOKEN,
    fix_surrogates,
    replace_lone_surrogate_escapes,
    replace_lone_surrogate_escapes_before,
)
from tests.fuzz.strategies import (
    encode_json,
    fuzz_settings,
    json_values,
    lone_surrogates_in,
    tricky_text,
)


def strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings_of(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *strings_of(item)]]
    return []


@fuzz_settings()
@given(value=json_values)
@example(value="\ud83d\ude00")  # a pair held as two code points is recombined, not replaced
@example(value={"\udc00": ["\ud800\ud800\udc00"]})
def test_fix_surrogates_leaves_valid_text_and_counts_what_it_replaced(value: Any) -> None:
    fixed, replaced = fix_surrogates(value)
    assert replaced == lone_surrogates_in(value)
    for text in strings_of(fixed):
        text.encode("utf-8")  # no surrogate left: SQLite and UTF-8 accept it
    assert fix_surrogates(fixed) == (fixed, 0)
    if replaced == 0 and not any("\ud800" <= c <= "\udfff" for s in strings_of(value) for c in s):
        assert fixed == value


@fuzz_settings()
@given(value=json_values, ascii_only=st.booleans())
def test_escape_rewriting_matches_decoding_then_fixing(value: Any, ascii_only: bool) -> None:
    """Rewriting the escapes in the bytes gives the same value as decoding and then fixing."""
    data = encode_json(value, ascii_only=ascii_only)
    rewritten, replaced = replace_lone_surrogate_escapes(data)
    assert json.loads(rewritten) == fix_surrogates(value)[0]
    assert replaced == lone_surrogates_in(value)


@fuzz_settings()
@given(text=tricky_text, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
@example(text="\\ud800", cuts=[1])
@example(text="ab\ud83d\ude00", cuts=[5, 11])
def test_streaming_form_never_splits_a_token(text: str, cuts: list[int]) -> None:
    """Feeding the bytes piece by piece, keeping back what the function did not cover, gives the
    one-pass result whatever the cut points."""
    data = json.dumps(text).encode("ascii")
    expected = replace_lone_surrogate_escapes(data)
    output: list[bytes] = []
    total = 0
    pending = b""
    position = 0
    for cut in [*sorted(cuts), len(data)]:
        end = min(max(cut, position), len(data))
        pending += data[position:end]
        position = end
        final = position == len(data)
        limit = len(pending) if final else len(pending) - MAX_ESCAPE_TOKEN + 1
        fixed, replaced, covered = replace_lone_surrogate_escapes_before(pending, limit)
        assert covered >= max(limit, 0)
        output.append(fixed)
        total += replaced
        pending = pending[covered:]
    assert pending == b""
    assert (b"".join(output), total) == expected
