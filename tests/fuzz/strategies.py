"""Shared pieces of the fuzz tests: hypothesis settings, JSON-ish strategies and small oracles.

``CHERRY_MIGRATE_FUZZ_EXAMPLES`` raises the number of examples per test for long runs
(``bench/fuzz_long.py`` sets it); the normal suite keeps it small so the fuzz tests stay quick.
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

DEFAULT_EXAMPLES = 200
EXAMPLES_ENV = "CHERRY_MIGRATE_FUZZ_EXAMPLES"


def fuzz_settings(examples: int = DEFAULT_EXAMPLES) -> settings:
    """``examples`` in the normal suite. In long runs the environment variable gives the number for
    a test of ``DEFAULT_EXAMPLES``, and tests that declare fewer (slow ones) get proportionally fewer."""
    configured = os.environ.get(EXAMPLES_ENV)
    if configured:
        examples = max(1, examples * int(configured) // DEFAULT_EXAMPLES)
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Characters that stress escaping: backslashes (and text that looks like an escape after one),
# quotes, lone and paired UTF-16 surrogates, astral characters, controls.
TRICKY_CHARS = [
    "\\", '"', "u", "d", "8", "0", "c", "f", "/", "\n", "\t", "\x00", "\x1f",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00", "😀", "é", "模", "\ufffd",
]  # fmt: skip

tricky_text = st.text(
    alphabet=st.one_of(st.sampled_from(TRICKY_CHARS), st.characters(codec="utf-8")), max_size=40
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    tricky_text,
)

json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(tricky_text, children, max_size=5)
    ),
    max_leaves=25,
)


def encode_json(value: Any, *, ascii_only: bool) -> bytes:
    """JSON bytes as a JavaScript exporter could have written them: lone surrogates always as
    ``\\udXXX`` escapes; everything else non-ASCII either escaped (``ascii_only``) or as UTF-8."""
    if ascii_only:
        return json.dumps(value, ensure_ascii=True).encode("ascii")
    text = json.dumps(value, ensure_ascii=False)
    # Only lone surrogates (inside string literals) fail to encode; write them as escapes.
    return text.encode("utf-8", "backslashreplace")


def lone_surrogates(text: str) -> int:
    """How many code points of ``text`` are surrogates not part of a high+low pair."""
    count = index = 0
    while index < len(text):
        code = ord(text[index])
        if 0xD800 <= code <= 0xDBFF and index + 1 < len(text) and 0xDC00 <= ord(text[index + 1]) <= 0xDFFF:
            index += 2
            continue
        count += 0xD800 <= code <= 0xDFFF
        index += 1
    return count


def lone_surrogates_in(value: Any) -> int:
    """``lone_surrogates`` over every string of a JSON value, keys included."""
    if isinstance(value, str):
        return lone_surrogates(value)
    if isinstance(value, list):
        return sum(lone_surrogates_in(item) for item in value)
    if isinstance(value, dict):
        return sum(lone_surrogates(key) + lone_surrogates_in(item) for key, item in value.items())
    return 0


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, with bytes inserted, or with bytes overwritten (or unchanged)."""
    operation = draw(st.sampled_from(["keep", "truncate", "insert", "overwrite"]))
    if operation == "keep" or not data:
        return data
    position = draw(st.integers(min_value=0, max_value=len(data) - 1))
    if operation == "truncate":
        return data[:position]
    noise = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b"\\", b'"', b"\\u", b"\xed\xa0\x80"]))
    if operation == "insert":
        return data[:position] + noise + data[position:]
    return data[:position] + noise + data[position + len(noise) :]


def chunk_sizes(max_size: int = 40) -> st.SearchStrategy[list[int]]:
    """Sizes of successive reads of a stream that may return fewer bytes than asked."""
    return st.lists(st.integers(min_value=1, max_value=max_size), min_size=1, max_size=30)
