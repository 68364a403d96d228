"""The bulk fill's form of the searchable-text rule gives what upstream's trigger form gives."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cherry_migrate.db.schema.message_fts import searchable_text_sql

_TYPES = ["text", "reasoning", "data-code", "data-translation", "data-compact", "data-error", "file"]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=" ab中\t", max_size=6),
)
_json_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "text"]), inner, max_size=2)
    ),
    max_leaves=6,
)
_parts = st.fixed_dictionaries(
    {"type": st.sampled_from(_TYPES)},
    optional={
        "text": _json_values,
        "data": st.fixed_dictionaries(
            {},
            optional={
                "content": _json_values,
                "compactedContent": _json_values,
                "message": _json_values,
            },
        ),
    },
)
_part_lists = st.lists(st.one_of(_parts, _scalars, _parts.map(json.dumps)), max_size=6)
_data = st.one_of(
    st.fixed_dictionaries({"parts": _part_lists}),
    st.fixed_dictionaries({"parts": st.dictionaries(st.sampled_from(["x", "y"]), _parts, max_size=2)}),
    # Parts that are a scalar, or a string holding parts as JSON: upstream parses that string.
    st.fixed_dictionaries({}, optional={"parts": st.one_of(_scalars, _part_lists.map(json.dumps))}),
    _json_values,
)


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    return sqlite3.connect(":memory:")


def _evaluate(conn: sqlite3.Connection, data: str, *, parts_by_path: bool) -> str:
    try:
        return str(
            conn.execute(
                f"SELECT {searchable_text_sql('?1', parts_by_path=parts_by_path)}", (data,)
            ).fetchone()[0]
        )
    except sqlite3.OperationalError as exc:
        return f"error: {exc}"


@settings(max_examples=300, deadline=None)
@given(_data)
def test_both_forms_agree_on_any_message_json(conn: sqlite3.Connection, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False)
    assert _evaluate(conn, text, parts_by_path=True) == _evaluate(conn, text, parts_by_path=False)


def test_texts_are_grouped_by_rule_in_both_forms(conn: sqlite3.Connection) -> None:
    data = {
        "parts": [
            {"type": "data-error", "data": {"message": "boom"}},
            {"type": "text", "text": "first"},
            {"type": "data-compact", "data": {"content": "summary", "compactedContent": "older"}},
            {"type": "text", "text": "  "},
            {"type": "text", "text": "second"},
        ]
    }
    for parts_by_path in (False, True):
        assert (
            _evaluate(conn, json.dumps(data), parts_by_path=parts_by_path)
            == "first second summary older boom"
        )
